import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import { type SeriesCache, scrapeOnce, targetLabels, withTargetLabels } from "./scrape";

let server: Server;
let base: string;
let body = '# TYPE jobs_total counter\njobs_total{job="inner",queue="a"} 7\n# TYPE temp gauge\ntemp 21.5\n';
let status = 200;

beforeAll(async () => {
  server = createServer((_req, res) => { res.writeHead(status, { "Content-Type": "text/plain; version=0.0.4" }); res.end(body); });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => { server.close(); server.closeAllConnections(); });

const opts = { nowMs: 1_800_000_000_000, timeoutMs: 2000, maxBytes: 10_000, maxLabelValueLength: 4096 };
const target = () => ({ id: "t", job: "app", url: `${base}/metrics`, intervalSeconds: 15, labels: { env: "prod" } });

describe("target labels", () => {
  it("are job, instance (host:port) and the configured ones, sorted", () => {
    expect(targetLabels({ job: "node", url: "http://10.0.0.1:9100/metrics", labels: { env: "prod" } }))
      .toEqual([["env", "prod"], ["instance", "10.0.0.1:9100"], ["job", "node"]]);
  });
  it("win over exposed ones, which are kept as exported_<name>", () => {
    expect(withTargetLabels([["job", "inner"], ["queue", "a"]], [["instance", "h:1"], ["job", "app"]]))
      .toEqual([["exported_job", "inner"], ["instance", "h:1"], ["job", "app"], ["queue", "a"]]);
  });
});

describe("scrapeOnce", () => {
  it("labels every series, adds up and the scrape's own series, and keeps the family types", async () => {
    const r = await scrapeOnce(target(), opts);
    expect(r.error).toBeUndefined();
    expect(r.samples).toBe(2);
    const byName = Object.fromEntries(r.series.map((s) => [s.name, s]));
    expect(byName.jobs_total.labels).toEqual([["env", "prod"], ["exported_job", "inner"], ["instance", new URL(base).host], ["job", "app"], ["queue", "a"]]);
    expect(byName.temp.values).toEqual([21.5]);
    expect(byName.up.values).toEqual([1]);
    expect(byName.scrape_samples_scraped.values).toEqual([2]);
    expect(r.metadata.get("jobs_total")?.type).toBe("counter");
    for (const s of r.series) expect(s.timestamps).toEqual([opts.nowMs]);
  });

  it("labels and hashes a series once, reusing it while the target exposes it", async () => {
    const cache: SeriesCache = new Map();
    const first = await scrapeOnce(target(), opts, cache);
    const second = await scrapeOnce(target(), opts, cache);
    const temp = (r: typeof first) => r.series.find((s) => s.name === "temp")!;
    expect(cache.size).toBe(2);
    expect(temp(second).identity).toBe(temp(first).identity);
  });

  it("reports a failed scrape as up 0 with the reason", async () => {
    status = 500;
    const r = await scrapeOnce(target(), opts);
    status = 200;
    expect(r.error).toMatch(/HTTP 500/);
    expect(r.series.find((s) => s.name === "up")!.values).toEqual([0]);
    expect(r.samples).toBe(0);
  });

  it("refuses an exposition over the size limit and a malformed one", async () => {
    expect((await scrapeOnce(target(), { ...opts, maxBytes: 10 })).error).toMatch(/exceeds the 10-byte limit/);
    body = "temp{ 1\n";
    const r = await scrapeOnce(target(), opts);
    body = "temp 1\n";
    expect(r.error).toMatch(/line 1/);
  });

  it("times out a target that does not answer", async () => {
    const silent = createServer(() => undefined); // takes the request, never answers
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(silent.address() as { port: number }).port}/metrics`;
    const r = await scrapeOnce({ ...target(), url }, { ...opts, timeoutMs: 200 });
    silent.closeAllConnections();
    silent.close();
    expect(r.error).toBe("timed out after 200 ms");
  });
});
