import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Proc, forEachStore, freePort, startCollectorProcess, startWebProcess, waitForHttp } from "../../lib/testing/processes";

/**
 * The metrics path end to end with the real thing: Debian's node_exporter is scraped by the
 * collector (job "node") and by a real Prometheus server that remote-writes what it scraped to
 * the collector (job "node-rw"). What Pinchpoint stores must match what Prometheus stores.
 */
const PROMETHEUS = "/usr/bin/prometheus";
const NODE_EXPORTER = "/usr/bin/prometheus-node-exporter";
const available = existsSync(PROMETHEUS) && existsSync(NODE_EXPORTER);
// CI installs both (.ci/run) and sets this, so there the test cannot quietly skip.
if (!available && process.env.PINCHPOINT_REQUIRE_PROMETHEUS) throw new Error(`${PROMETHEUS} and ${NODE_EXPORTER} are required: apt-get install prometheus prometheus-node-exporter`);

interface Series { key: number; name: string; labels: Record<string, string>; latest: { ts: number; value: number | null } | null }

function run(cmd: string, args: string[]): ChildProcess {
  return spawn(cmd, args, { stdio: "ignore" });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** A series' identity without the job label, which differs between the two paths by design. */
const identity = (name: string, labels: Record<string, string>) =>
  `${name}{${Object.entries(labels).filter(([k]) => k !== "job").sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(",")}}`;

function suite(name: string, databaseUrl: () => Promise<{ url: string; cleanup(): Promise<void> }>) {
  describe.skipIf(!available)(`Prometheus metrics end to end (${name})`, () => {
    let db: { url: string; cleanup(): Promise<void> };
    let collector: Proc & { port: number };
    let web: Proc & { port: number };
    const children: ChildProcess[] = [];
    let promPort: number;
    const api = async (path: string) => (await fetch(`http://127.0.0.1:${web.port}${path}`)).json();
    const prom = async (path: string) => (await (await fetch(`http://127.0.0.1:${promPort}${path}`)).json()).data;

    beforeAll(async () => {
      db = await databaseUrl();
      const dir = mkdtempSync(join(tmpdir(), "pp-prom-"));
      const [nodePort, collectorPort] = [await freePort(), await freePort()];
      promPort = await freePort();
      children.push(run(NODE_EXPORTER, [`--web.listen-address=127.0.0.1:${nodePort}`]));
      await waitForHttp(`http://127.0.0.1:${nodePort}/metrics`, 20_000);
      writeFileSync(join(dir, "scrape.yml"), `scrape_configs:\n  - job_name: node\n    scrape_interval: 1s\n    static_configs:\n      - targets: ["127.0.0.1:${nodePort}"]\n`);
      collector = await startCollectorProcess({ DATABASE_URL: db.url, COLLECTOR_PORT: String(collectorPort), PINCHPOINT_SCRAPE_CONFIG: join(dir, "scrape.yml") });
      web = await startWebProcess({ DATABASE_URL: db.url, COLLECTOR_PORT: String(collectorPort) });
      writeFileSync(join(dir, "prometheus.yml"), [
        "global:", "  scrape_interval: 1s",
        "scrape_configs:", "  - job_name: node-rw", "    static_configs:", `      - targets: ["127.0.0.1:${nodePort}"]`,
        "remote_write:", `  - url: http://127.0.0.1:${collectorPort}/api/v1/write`, "    queue_config: { batch_send_deadline: 1s }", "",
      ].join("\n"));
      children.push(run(PROMETHEUS, [`--config.file=${join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${join(dir, "tsdb")}`, `--web.listen-address=127.0.0.1:${promPort}`]));
      await waitForHttp(`http://127.0.0.1:${promPort}/-/ready`, 30_000);
    });
    afterAll(async () => {
      for (const c of children) c.kill("SIGKILL");
      await Promise.all([web?.stop(), collector?.stop()]);
      await db?.cleanup();
    });

    it("stores every series Prometheus remote-writes, with the same samples", async () => {
      const mine = await until("remote-written series", async () => {
        const { series } = await api("/api/metrics/series?job=node-rw&limit=1000") as { series: Series[] };
        return series.length > 100 && series.some((s) => s.name === "up") ? series : undefined;
      });
      const theirs = await prom(`/api/v1/series?match[]=${encodeURIComponent('{job="node-rw"}')}`) as Record<string, string>[];
      const theirSet = new Set(theirs.map(({ __name__, ...labels }) => identity(__name__, labels)));
      // Both come from the same scrapes; a series can appear between the two reads, never vanish.
      const mineSet = new Set(mine.map((s) => identity(s.name, s.labels)));
      expect([...mineSet].filter((s) => !theirSet.has(s))).toEqual([]);
      expect(mineSet.size).toBeGreaterThanOrEqual(theirSet.size - 5);

      // The raw samples of a busy counter are Prometheus's own, timestamp for timestamp.
      const idle = mine.find((s) => s.name === "node_cpu_seconds_total" && s.labels.cpu === "0" && s.labels.mode === "idle")!;
      const { samples } = await api(`/api/metrics/samples?series=${idle.key}&window=15m`) as { samples: { ts: number; value: number }[] };
      const { result: range } = await prom(`/api/v1/query?query=${encodeURIComponent('node_cpu_seconds_total{job="node-rw",cpu="0",mode="idle"}[5m]')}`) as { result: { values: [number, string][] }[] };
      const theirSamples = new Map(range[0].values.map(([t, v]) => [Math.round(t * 1000), Number(v)]));
      const shared = samples.filter((s) => theirSamples.has(s.ts));
      expect(shared.length).toBeGreaterThanOrEqual(2);
      for (const s of shared) expect(s.value).toBe(theirSamples.get(s.ts));
    });

    it("scrapes node_exporter itself into the same series Prometheus sees, with up and the same constant values", async () => {
      const scraped = await until("scraped series", async () => {
        const { series } = await api("/api/metrics/series?job=node&limit=1000") as { series: Series[] };
        return series.length > 100 ? series : undefined;
      });
      const { series: remote } = await api("/api/metrics/series?job=node-rw&limit=1000") as { series: Series[] };
      // Prometheus adds scrape_series_added etc.; node_exporter's own series must be the same on both paths.
      const own = (list: Series[]) => new Set(list.filter((s) => !s.name.startsWith("scrape_")).map((s) => identity(s.name, s.labels)));
      const [a, b] = [own(scraped), own(remote)];
      const differ = [...a].filter((s) => !b.has(s)).concat([...b].filter((s) => !a.has(s)));
      expect(differ.length).toBeLessThanOrEqual(3); // a collector's series may come and go between scrapes
      const value = (list: Series[], metric: string) => list.find((s) => s.name === metric)?.latest?.value;
      expect(value(scraped, "up")).toBe(1);
      expect(value(scraped, "node_memory_MemTotal_bytes")).toBe(value(remote, "node_memory_MemTotal_bytes"));
      const { result: [memTotal] } = await prom(`/api/v1/query?query=${encodeURIComponent('node_memory_MemTotal_bytes{job="node-rw"}')}`) as { result: { value: [number, string] }[] };
      expect(value(scraped, "node_memory_MemTotal_bytes")).toBe(Number(memTotal.value[1]));
      const { targets } = await api("/api/scrape-targets") as { targets: { id: string; lastSamples?: number; lastError?: string }[] };
      expect(targets).toHaveLength(1);
      expect(targets[0].id).toMatch(/^file:node:/);
      expect(targets[0].lastError).toBeUndefined();
      expect(targets[0].lastSamples).toBeGreaterThan(100);
    });

    it("answers a bad remote_write body with 400 and keeps what it had", async () => {
      const before = (await api("/api/metrics/series?job=node-rw&limit=1000")).series.length;
      const res = await fetch(`http://127.0.0.1:${collector.port}/api/v1/write`, {
        method: "POST", headers: { "content-type": "application/x-protobuf", "content-encoding": "snappy" }, body: new Uint8Array([0xff, 0xff]),
      });
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(/snappy/);
      expect((await api("/api/metrics/series?job=node-rw&limit=1000")).series.length).toBeGreaterThanOrEqual(before);
    });
  });
}

forEachStore(suite);
