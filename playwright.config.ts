import { defineConfig, devices } from "@playwright/test";
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";

const WEB_PORT = 3210;
const COLLECTOR_PORT = 4328;
const E2E_DB = "data/e2e.db";

/**
 * Start every run on an empty database so the empty state can be tested.
 *
 * This cannot be a `globalSetup`: Playwright starts the `webServer` before global setup
 * (playwright 1.65, runner createGlobalSetupTasks: plugins first), so a global setup would
 * delete the SQLite file under a server that already opened and migrated it. The config file is
 * loaded in the runner before the web server starts; the marker variable keeps worker processes
 * (which load the config again and inherit the runner's environment) from deleting it mid-run.
 */
if (!process.env.PINCHPOINT_E2E_DB_RESET) {
  process.env.PINCHPOINT_E2E_DB_RESET = "1";
  const dir = path.join(__dirname, path.dirname(E2E_DB));
  mkdirSync(dir, { recursive: true });
  const base = path.basename(E2E_DB);
  for (const name of readdirSync(dir)) {
    // e2e.db, e2e.db-wal, e2e.db-shm, e2e.db-journal
    if (name === base || name.startsWith(`${base}-`)) rmSync(path.join(dir, name), { force: true });
  }
}

/** Debian's Chromium in CI and on these machines; Playwright's own browser on a laptop. */
function chromiumPath(): string | undefined {
  const candidate = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  return existsSync(candidate) ? candidate : undefined;
}

export default defineConfig({
  testDir: "./e2e",
  testMatch: "**/*.spec.ts",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: "list",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: !!process.env.CI,
  use: {
    baseURL: `http://127.0.0.1:${WEB_PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        viewport: { width: 1280, height: 900 },
        launchOptions: {
          executablePath: chromiumPath(),
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
          ],
        },
      },
    },
  ],
  webServer: {
    command: "node scripts/start.mjs",
    url: `http://127.0.0.1:${WEB_PORT}/api/health`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(WEB_PORT),
      COLLECTOR_PORT: String(COLLECTOR_PORT),
      DATABASE_URL: `file:./${E2E_DB}`,
      NEXT_TELEMETRY_DISABLED: "1",
      // Traces are analysed after this many quiet seconds; short, so the tests need not wait long.
      PINCHPOINT_TRACE_QUIET_SECONDS: "2",
    },
  },
});
