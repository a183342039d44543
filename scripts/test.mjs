#!/usr/bin/env node
// `npm test`: type check, unit tests, a production build, integration tests (real collector and
// web server; PostgreSQL too when TEST_DATABASE_URL is set), then Playwright e2e in Chromium.
// Ends with one line "N passed, N failed" summing every suite; exits non-zero on any failure.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const reports = "test-reports"; // not test-results: Playwright empties that folder
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });
let passed = 0;
let failed = 0;

function run(label, cmd, args, extraEnv = {}) {
  console.log(`\n=== ${label}: ${cmd} ${args.join(" ")}`);
  return spawnSync(cmd, args, { stdio: "inherit", env: { ...env, ...extraEnv } }).status === 0;
}

/** A step that is not a test suite still counts: one pass or one failure. */
function step(label, cmd, args) {
  const ok = run(label, cmd, args);
  if (ok) passed++;
  else failed++;
  return ok;
}

function vitest(project) {
  const out = `${reports}/vitest-${project}.json`;
  const ok = run(`${project} tests`, "node_modules/.bin/vitest", ["run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile=${out}`]);
  if (!existsSync(out)) return void failed++;
  const r = JSON.parse(readFileSync(out, "utf8"));
  passed += r.numPassedTests;
  failed += r.numFailedTests + (ok || r.numFailedTests ? 0 : 1); // a crash with no failed test still fails
}

function playwright() {
  const out = `${reports}/playwright.json`;
  const ok = run("e2e tests", "node_modules/.bin/playwright", ["test", "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: out });
  if (!existsSync(out)) return void failed++;
  const { stats } = JSON.parse(readFileSync(out, "utf8"));
  passed += stats.expected + stats.flaky;
  failed += stats.unexpected + (ok || stats.unexpected ? 0 : 1);
}

step("type check", "node_modules/.bin/tsc", ["--noEmit", "-p", "."]);
step("prisma schemas in step", "node", ["scripts/prisma-schemas.mjs", "check"]);
vitest("unit");
// Integration and e2e tests run against the production build; without one they cannot run.
if (step("build", "node", ["node_modules/next/dist/bin/next", "build"])) {
  vitest("integration");
  playwright();
} else {
  console.log("build failed: integration and e2e tests not run");
  failed += 2;
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
