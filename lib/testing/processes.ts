import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

/** Test support: real processes on free loopback ports, and throwaway databases. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export async function waitForHttp(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status < 500) return;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface Proc { child: ChildProcess; output: () => string; stop(signal?: NodeJS.Signals): Promise<void> }

function startProcess(args: string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, args, { env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  return {
    child,
    output: () => out,
    stop: (signal = "SIGTERM") =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill(signal);
      }),
  };
}

/** The collector process (collectors/main.ts); resolves once it answers /health. */
export async function startCollectorProcess(env: Record<string, string>): Promise<Proc & { port: number }> {
  const port = Number(env.COLLECTOR_PORT) || (await freePort());
  const p = startProcess(["--import", "tsx", "collectors/main.ts"], { PINCHPOINT_LISTEN_HOST: "127.0.0.1", ...env, COLLECTOR_PORT: String(port) });
  await waitForHttp(`http://127.0.0.1:${port}/health`, 60_000).catch((err) => {
    throw new Error(`${(err as Error).message}\n${p.output()}`);
  });
  return { ...p, port };
}

/** The built Next.js app (`next start`); needs a prior `next build`. */
export async function startWebProcess(env: Record<string, string>): Promise<Proc & { port: number }> {
  const port = await freePort();
  const p = startProcess(["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"], env);
  await waitForHttp(`http://127.0.0.1:${port}/api/health`, 120_000).catch((err) => {
    throw new Error(`${(err as Error).message}\n${p.output()}`);
  });
  return { ...p, port };
}

/** A fresh PostgreSQL database on the server `serverUrl` names; drop() removes it. */
export async function createPostgresDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `pinchpoint_test_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A database for one suite: its URL and how to remove it. */
export interface TestDatabase { url: string; cleanup(): Promise<void> }

/**
 * Defines a suite once per store: a fresh SQLite file, and a throwaway PostgreSQL database when
 * TEST_DATABASE_URL names a server (CI sets it).
 */
export function forEachStore(suite: (name: string, open: () => Promise<TestDatabase>) => void): void {
  suite("SQLite", async () => ({ url: `file:${join(mkdtempSync(join(tmpdir(), "pp-test-")), "store.db")}`, cleanup: async () => {} }));
  const server = process.env.TEST_DATABASE_URL;
  if (server) {
    suite("PostgreSQL", async () => {
      const created = await createPostgresDatabase(server);
      return { url: created.url, cleanup: created.drop };
    });
  }
}
