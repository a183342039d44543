/**
 * parseExposition against what a real Prometheus stores: node_exporter and a Prometheus server
 * scraping it every second run on loopback ports; after two scrapes we fetch node_exporter's
 * /metrics ourselves, parse it, and compare with Prometheus's instant query of the job: the same
 * set of series (name + labels, plus job / instance) and, for series that do not change between
 * scrapes, the same values. Skips itself when the Debian packages are not installed.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SeriesSamples } from "./series";
import { parseExposition } from "./text-format";

const PROMETHEUS = "/usr/bin/prometheus";
const NODE_EXPORTER = "/usr/bin/prometheus-node-exporter";
const installed = existsSync(PROMETHEUS) && existsSync(NODE_EXPORTER);
if (!installed) console.warn(`skipping: ${PROMETHEUS} and ${NODE_EXPORTER} are needed (Debian packages prometheus, prometheus-node-exporter)`);

/** Series Prometheus adds for every scrape itself; node_exporter does not expose them. */
const SCRAPE_SERIES = new Set(["up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling", "scrape_series_added"]);
/** Series whose value is the same in every scrape (so ours and Prometheus's must be equal). */
const STABLE = ["node_memory_MemTotal_bytes", "node_uname_info", "node_os_info", "node_exporter_build_info", "node_boot_time_seconds", "node_disk_info", "node_network_info"];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
}

interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

async function query(promPort: number, promql: string): Promise<VectorSample[]> {
  const res = await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = (await res.json()) as { status: string; data: { result: VectorSample[] } };
  if (body.status !== "success") throw new Error(`query ${promql}: ${JSON.stringify(body)}`);
  return body.data.result;
}

const id = (labels: Record<string, string>) => JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

describe.skipIf(!installed)("parseExposition vs Prometheus 2.42 scraping node_exporter", () => {
  const children: ChildProcess[] = [];
  let dir = "";
  let nodePort = 0;
  let promPort = 0;

  function start(bin: string, args: string[]): void {
    const child = spawn(bin, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    child.on("exit", (code) => {
      if (code !== null && code !== 0) console.error(`${bin} exited with ${code}: ${stderr}`);
    });
    children.push(child);
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "pinchpoint-prom-"));
    nodePort = await freePort();
    promPort = await freePort();
    start(NODE_EXPORTER, [`--web.listen-address=127.0.0.1:${nodePort}`]);
    const config = join(dir, "prometheus.yml");
    writeFileSync(config, `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: node\n    static_configs:\n      - targets: ["127.0.0.1:${nodePort}"]\n`);
    start(PROMETHEUS, [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, "data")}`, `--web.listen-address=127.0.0.1:${promPort}`]);
    await waitFor("two scrapes of node_exporter", async () => {
      const [scrapes] = await query(promPort, 'count_over_time(up{job="node"}[1m])');
      return scrapes && Number(scrapes.value[1]) >= 2 ? true : undefined;
    }, 40_000);
  }, 50_000);

  afterAll(async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
            setTimeout(() => child.kill("SIGKILL"), 5000).unref();
          }),
      ),
    );
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("stores the same series as we parse, with the same stable values", async () => {
    const text = await (await fetch(`http://127.0.0.1:${nodePort}/metrics`)).text();
    const ours = parseExposition(text, { defaultTimestampMs: Date.now() }).series;
    const instance = `127.0.0.1:${nodePort}`;
    const oursById = new Map<string, SeriesSamples>();
    for (const s of ours) oursById.set(id({ __name__: s.name, ...Object.fromEntries(s.labels), job: "node", instance }), s);

    const stored = (await query(promPort, '{__name__=~".+",job="node"}')).filter((s) => !SCRAPE_SERIES.has(s.metric.__name__));
    const storedById = new Map(stored.map((s) => [id(s.metric), s]));

    const missing = [...storedById.keys()].filter((k) => !oursById.has(k));
    const extra = [...oursById.keys()].filter((k) => !storedById.has(k));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    expect(oursById.size).toBe(storedById.size);
    expect(oursById.size).toBeGreaterThan(300);

    let compared = 0;
    for (const [key, s] of oursById) {
      if (!STABLE.includes(s.name)) continue;
      expect([key, s.values[0]]).toEqual([key, Number(storedById.get(key)!.value[1])]);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(STABLE.length);
  });
});
