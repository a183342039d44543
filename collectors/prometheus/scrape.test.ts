import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import { TargetMemory, scrapeOnce, targetLabels, withTargetLabels } from "./scrape";

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
    const byName = Object.fromEntries(r.series().map((s) => [s.name, s]));
    expect(JSON.parse(byName.jobs_total.identity.labels)).toEqual({ env: "prod", exported_job: "inner", instance: new URL(base).host, job: "app", queue: "a" });
    expect(byName.temp.values).toEqual([21.5]);
    expect(byName.up.values).toEqual([1]);
    expect(byName.scrape_samples_scraped.values).toEqual([2]);
    expect(r.metadata.get("jobs_total")?.type).toBe("counter");
    for (const s of r.series()) expect(s.timestamps).toEqual([opts.nowMs]);
    // The same samples in columns, for the store.
    expect(r.columns!.ts).toBe(opts.nowMs);
    expect([...r.columns!.keys]).toEqual(r.series().map((s) => s.identity.key));
    expect([...r.columns!.values]).toEqual(r.series().map((s) => s.values[0]));
  });

  it("reads a repeated exposition by its shape: same series and identities, new values", async () => {
    const memory = new TargetMemory(target());
    const first = await scrapeOnce(target(), opts, memory);
    const shape = memory.shaped!.shape;
    body = body.replace("21.5", "-3");
    const second = await scrapeOnce(target(), { ...opts, nowMs: opts.nowMs + 15_000 }, memory);
    expect(memory.shaped!.shape).toBe(shape); // not parsed again
    expect(second.columns!.keys).toBe(first.columns!.keys);
    const temp = second.series().find((s) => s.name === "temp")!;
    expect(temp.values).toEqual([-3]);
    expect(temp.timestamps).toEqual([opts.nowMs + 15_000]);
    expect(temp.identity).toBe(first.series().find((s) => s.name === "temp")!.identity);

    // A new series changes the shape: parsed in full again, and its series come out labelled.
    body += 'jobs_total{job="inner",queue="b"} 1\n';
    const third = await scrapeOnce(target(), opts, memory);
    expect(memory.shaped!.shape).not.toBe(shape);
    expect(third.samples).toBe(3);
    expect(third.series().filter((s) => s.name === "jobs_total").map((s) => JSON.parse(s.identity.labels).queue)).toEqual(["a", "b"]);
    body = '# TYPE jobs_total counter\njobs_total{job="inner",queue="a"} 7\n# TYPE temp gauge\ntemp 21.5\n';
  });

  it("gives series objects, not columns, for an exposition with timestamps", async () => {
    const saved = body;
    body = "temp 1 1700000000000\ntemp2 2\n";
    const r = await scrapeOnce(target(), opts);
    body = saved;
    expect(r.columns).toBeUndefined();
    expect(r.series().find((s) => s.name === "temp")!.timestamps).toEqual([1_700_000_000_000]);
    expect(r.series().find((s) => s.name === "up")!.values).toEqual([1]);
  });

  it("reports a failed scrape as up 0 with the reason", async () => {
    status = 500;
    const r = await scrapeOnce(target(), opts);
    status = 200;
    expect(r.error).toMatch(/HTTP 500/);
    expect(r.series().find((s) => s.name === "up")!.values).toEqual([0]);
    expect([...r.columns!.values]).toEqual([0, r.durationMs / 1000, 0]);
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
