import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { sendRequests } from "../lib/testing/otel-client";
import { type Proc, startCollectorProcess } from "../lib/testing/processes";

describe("self-telemetry", () => {
  let watcher: Proc & { port: number };
  let watched: Proc & { port: number };
  const dir = mkdtempSync(join(tmpdir(), "pp-self-"));

  beforeAll(async () => {
    watcher = await startCollectorProcess({ DATABASE_URL: `file:${join(dir, "watcher.db")}` });
    watched = await startCollectorProcess({
      DATABASE_URL: `file:${join(dir, "watched.db")}`,
      PINCHPOINT_SELF_TELEMETRY_ENDPOINT: `http://127.0.0.1:${watcher.port}`,
      OTEL_BSP_SCHEDULE_DELAY: "200",
    });
  });
  afterAll(async () => {
    await watched?.stop();
    await watcher?.stop();
  });

  it("is off by default and, when an endpoint is set, sends the collector's own ingest spans there", async () => {
    await sendRequests({ endpoint: `http://127.0.0.1:${watched.port}`, service: "app", protocol: "proto", gzip: false },
      [{ durationMs: 3, error: false }]);
    const db = new Database(join(dir, "watcher.db"), { readonly: true });
    const selfSpans = () => db.prepare("SELECT service, name FROM spans WHERE name = 'ingest.write_batch'").all() as { service: string }[];
    const deadline = Date.now() + 15_000;
    while (selfSpans().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(selfSpans()[0]).toMatchObject({ service: "pinchpoint-collector" });
    // The watcher has no endpoint set: it reports nothing about itself anywhere, only what it received.
    expect(db.prepare("SELECT DISTINCT service FROM spans").all()).toEqual([{ service: "pinchpoint-collector" }]);
    db.close();
  });
});
