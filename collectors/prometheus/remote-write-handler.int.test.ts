import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Proc, startCollectorProcess } from "../../lib/testing/processes";
import { compressSnappy, encodeWriteRequest } from "../../lib/testing/remote-write-client";
import type { SeriesSamples } from "./series";

/** POST /api/v1/write answers as Prometheus expects, with the limits a small collector is given here. */
describe("remote_write endpoint", () => {
  let collector: Proc & { port: number };
  const series = (n: number, name = "m"): SeriesSamples[] =>
    Array.from({ length: n }, (_, i) => ({ name, labels: [["i", String(i)], ["job", "rw"]], timestamps: [Date.now()], values: [i] }));
  const post = (body: Uint8Array | Buffer, headers: Record<string, string> = {}) => fetch(`http://127.0.0.1:${collector.port}/api/v1/write`, {
    method: "POST", body: Buffer.from(body),
    headers: { "content-type": "application/x-protobuf", "content-encoding": "snappy", authorization: "Bearer s3cret", ...headers },
  });
  const write = (list: SeriesSamples[]) => post(compressSnappy(encodeWriteRequest(list)));

  beforeAll(async () => {
    collector = await startCollectorProcess({
      DATABASE_URL: `file:${join(mkdtempSync(join(tmpdir(), "pp-rw-")), "s.db")}`, PINCHPOINT_INGEST_TOKEN: "s3cret",
      PINCHPOINT_METRICS_QUEUE_CAPACITY: "10", PINCHPOINT_MAX_SERIES: "8", PINCHPOINT_MAX_DECOMPRESSED_BYTES: "100000",
    });
  });
  afterAll(async () => { await collector?.stop(); });

  it("stores a WriteRequest and answers 204", async () => {
    expect((await write(series(5))).status).toBe(204);
    const health = await (await fetch(`http://127.0.0.1:${collector.port}/health`)).json();
    expect(health.series).toBe(5);
  });

  it("refuses more samples than its queue holds with 429 and Retry-After, which Prometheus retries", async () => {
    const res = await write(series(11));
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("1");
  });

  it("stores known series and refuses new ones past the series limit with a 400 saying what was dropped", async () => {
    const res = await write([...series(5), ...series(5, "more")]); // 5 known + 5 new, 3 of which fit the limit of 8
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/series limit of 8 reached \(PINCHPOINT_MAX_SERIES\): 2 new series and their 2 samples were dropped; the other 8 samples were stored/);
  });

  it("answers bad requests in words: token, content type, encoding, snappy, protobuf and decompressed size", async () => {
    const ok = compressSnappy(encodeWriteRequest(series(1)));
    const cases: [Promise<Response>, number, RegExp][] = [
      [post(ok, { authorization: "Bearer wrong" }), 401, /ingest token/],
      [post(ok, { "content-type": "application/json" }), 415, /application\/x-protobuf/],
      [post(ok, { "content-encoding": "gzip" }), 415, /snappy/],
      [post(Buffer.from([0xff, 0xff])), 400, /not valid snappy/],
      [post(compressSnappy(Buffer.from([0x0a, 0x05, 0x01]))), 400, /malformed remote_write request/],
      [post(compressSnappy(new Uint8Array(200_000))), 413, /exceeds the limit of 100000 bytes/],
    ];
    for (const [response, status, message] of cases) {
      const res = await response;
      expect(res.status).toBe(status);
      expect(await res.text()).toMatch(message);
    }
  });
});
