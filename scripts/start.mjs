#!/usr/bin/env node
// `npm start`: build the web app if there is no build yet, apply migrations, then run the
// collector (COLLECTOR_PORT, default 4318) and the web app (PORT, default 3000) together.
// If either stops, the other is stopped too, and the exit code is passed on.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const port = env.PORT || "3000";

function runOrExit(label, args) {
  const r = spawnSync(process.execPath, args, { stdio: "inherit", env });
  if (r.status !== 0) {
    console.error(`pinchpoint: ${label} failed`);
    process.exit(r.status ?? 1);
  }
}

if (!existsSync(".next/BUILD_ID")) runOrExit("build", ["node_modules/next/dist/bin/next", "build"]);
runOrExit("migration", ["--import", "tsx", "scripts/migrate.ts"]);

const children = [
  spawn(process.execPath, ["--import", "tsx", "collectors/main.ts"], { stdio: "inherit", env }),
  spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", port, "-H", env.PINCHPOINT_LISTEN_HOST || "0.0.0.0"], { stdio: "inherit", env }),
];
let stopping = false;
function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
  process.exitCode = code;
}
for (const c of children) c.on("exit", (code, signal) => stopAll(code ?? (signal ? 1 : 0)));
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => stopAll(0));
