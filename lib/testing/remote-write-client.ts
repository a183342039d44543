import { createRequire } from "node:module";
import type { SeriesSamples } from "../../collectors/prometheus/series";

/**
 * Test and benchmark support: a Prometheus remote_write 1.0 client (protobuf WriteRequest, snappy
 * block compression by the independent snappyjs), so the collector's own decoders are fed bytes
 * they did not produce.
 */
const snappyjs = createRequire(__filename)("snappyjs") as { compress(input: Uint8Array): Uint8Array };

/** Just enough protobuf writing for WriteRequest: varints, doubles, strings and nested messages. */
class ProtoWriter {
  private chunks: Uint8Array[] = [];
  private size = 0;
  private push(b: Uint8Array): this { this.chunks.push(b); this.size += b.length; return this; }
  private varint(n: number): this {
    const out: number[] = [];
    while (n >= 0x80) { out.push((n % 0x80) | 0x80); n = Math.floor(n / 0x80); }
    out.push(n);
    return this.push(Uint8Array.from(out));
  }
  tagVarint(field: number, n: number): this { return this.varint(field << 3).varint(n); }
  tagDouble(field: number, v: number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, true);
    return this.varint((field << 3) | 1).push(b);
  }
  tagBytes(field: number, b: Uint8Array): this { return this.varint((field << 3) | 2).varint(b.length).push(b); }
  tagString(field: number, s: string): this { return this.tagBytes(field, Buffer.from(s, "utf8")); }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.chunks) { out.set(c, at); at += c.length; }
    return out;
  }
}

/** WriteRequest { timeseries = 1: TimeSeries { labels = 1: Label { name = 1, value = 2 }, samples = 2: Sample { value = 1, timestamp = 2 } } }. */
export function encodeWriteRequest(series: SeriesSamples[]): Uint8Array {
  const request = new ProtoWriter();
  for (const s of series) {
    const ts = new ProtoWriter();
    for (const [name, value] of [["__name__", s.name] as [string, string], ...s.labels]) ts.tagBytes(1, new ProtoWriter().tagString(1, name).tagString(2, value).bytes());
    s.values.forEach((v, i) => ts.tagBytes(2, new ProtoWriter().tagDouble(1, v).tagVarint(2, s.timestamps[i]).bytes()));
    request.tagBytes(1, ts.bytes());
  }
  return request.bytes();
}

export const compressSnappy = (body: Uint8Array): Uint8Array => snappyjs.compress(body);

/** POSTs the series to a remote_write endpoint the way Prometheus does. */
export function remoteWrite(url: string, series: SeriesSamples[]): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-protobuf", "content-encoding": "snappy", "x-prometheus-remote-write-version": "0.1.0" },
    body: Buffer.from(compressSnappy(encodeWriteRequest(series))),
  });
}
