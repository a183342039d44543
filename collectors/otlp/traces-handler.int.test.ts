import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { loadConfig } from "../../lib/config";
import { IngestQueue } from "../../lib/ingest/queue";
import type { SpanRecord } from "../../lib/ingest/span-record";
import { sendRequests } from "../../lib/testing/otel-client";
import { type RunningCollector, startCollector } from "../collector";
import { createCollectorServer } from "../server";

/** One valid OTLP/JSON request with `n` spans; `badIds` of them carry an invalid trace id. */
function jsonRequest(n: number, badIds = 0): string {
  const spans = Array.from({ length: n }, (_, i) => ({
    traceId: i < badIds ? "abcd" : "0af7651916cd43dd8448eb211c80319c",
    spanId: (i + 1).toString(16).padStart(16, "0"),
    name: "GET /x", kind: 2, startTimeUnixNano: "1700000000000000000", endTimeUnixNano: "1700000000005000000",
    attributes: [{ key: "long", value: { stringValue: "x".repeat(100) } }],
  }));
  return JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: "service.name", value: { stringValue: "limits" } }] }, scopeSpans: [{ spans }] }] });
}

describe("POST /v1/traces answers as the OTLP/HTTP spec says", () => {
  let collector: RunningCollector;
  let url: string;
  const token = "s3cret";

  beforeAll(async () => {
    const config = loadConfig({
      DATABASE_URL: `file:${join(mkdtempSync(join(tmpdir(), "pp-limits-")), "s.db")}`, COLLECTOR_PORT: "1", PINCHPOINT_LISTEN_HOST: "127.0.0.1",
      PINCHPOINT_MAX_BODY_BYTES: "40000", PINCHPOINT_MAX_DECOMPRESSED_BYTES: "100000", PINCHPOINT_MAX_SPANS_PER_REQUEST: "50",
      PINCHPOINT_MAX_ATTRIBUTE_LENGTH: "10", PINCHPOINT_INGEST_TOKEN: token,
    });
    collector = await startCollector({ ...config, collectorPort: 0 });
    url = `http://127.0.0.1:${collector.port}/v1/traces`;
  });
  afterAll(() => collector?.stop());

  const post = (body: BodyInit, headers: Record<string, string> = {}) =>
    fetch(url, { method: "POST", body, headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}`, ...headers } });

  it("accepts spans from the real exporters when the token is sent", async () => {
    await expect(sendRequests({ endpoint: url.replace("/v1/traces", ""), service: "auth", protocol: "proto", gzip: true,
      headers: { Authorization: `Bearer ${token}` } }, [{ durationMs: 5, error: false }])).resolves.toBeUndefined();
    expect(collector.queue.depth).toBe(0);
  });

  it("answers 200 with partial_success when some spans are rejected", async () => {
    const res = await post(jsonRequest(5, 2));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.partialSuccess.rejectedSpans).toBe("2");
    expect(body.partialSuccess.errorMessage).toMatch(/trace/i);
  });

  it("answers 401 without the ingest token", async () => {
    const res = await post(jsonRequest(1), { Authorization: "Bearer wrong" });
    expect(res.status).toBe(401);
    expect((await res.json()).message).toMatch(/PINCHPOINT_INGEST_TOKEN/);
  });

  it("answers 400 with a message for a malformed body, in protobuf and JSON", async () => {
    const json = await post("{ not json");
    expect(json.status).toBe(400);
    expect((await json.json()).message).toMatch(/malformed OTLP request/);
    const proto = await post(new Uint8Array([0x0a, 0xff, 0xff, 0x01]), { "Content-Type": "application/x-protobuf" });
    expect(proto.status).toBe(400);
    expect(proto.headers.get("content-type")).toBe("application/x-protobuf");
    expect(Buffer.from(await proto.arrayBuffer()).toString("latin1")).toMatch(/malformed OTLP request/);
  });

  it("answers 413 for a body over the limit, a gzip bomb, and too many spans", async () => {
    expect((await post("x".repeat(50_000))).status).toBe(413);
    const bomb = gzipSync(Buffer.alloc(5_000_000, 0x20));
    expect(bomb.length).toBeLessThan(40_000);
    const res = await post(bomb, { "Content-Encoding": "gzip" });
    expect(res.status).toBe(413);
    expect((await res.json()).message).toMatch(/decompressed body exceeds/);
    const many = await post(jsonRequest(60));
    expect(many.status).toBe(413);
    expect((await many.json()).message).toMatch(/60/);
  });

  it("answers 415 for another content type or encoding", async () => {
    expect((await post("a=b", { "Content-Type": "application/x-www-form-urlencoded" })).status).toBe(415);
    expect((await post(jsonRequest(1), { "Content-Encoding": "br" })).status).toBe(415);
  });
});

describe("overload", () => {
  it("answers 429 with Retry-After while the queue is full, and 200 once it drains", async () => {
    let release: () => void = () => {};
    const written: SpanRecord[][] = [];
    const queue = new IngestQueue((s) => { written.push(s); return new Promise<void>((r) => (release = r)); },
      { capacity: 3, batchSize: 3, retryAfterSeconds: 7 });
    const limits = { ingestToken: undefined, maxBodyBytes: 1e6, maxDecompressedBytes: 1e6, maxSpansPerRequest: 3, maxAttributeValueLength: 100 };
    const server = createCollectorServer(queue, limits).listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
    const post = () => fetch(url, { method: "POST", body: jsonRequest(3), headers: { "Content-Type": "application/json" } });
    try {
      const first = post();
      await new Promise((r) => setTimeout(r, 100));
      const refused = await post();
      expect(refused.status).toBe(429);
      expect(refused.headers.get("retry-after")).toBe("7");
      release();
      expect((await first).status).toBe(200);
      const again = post();
      await new Promise((r) => setTimeout(r, 100));
      release();
      expect((await again).status).toBe(200);
      expect(written.map((w) => w.length)).toEqual([3, 3]);
    } finally {
      server.close();
    }
  });
});
