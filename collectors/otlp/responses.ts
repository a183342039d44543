/**
 * OTLP/HTTP response bodies, in the encoding of the request: an ExportTraceServiceResponse
 * (with partial_success when spans were rejected) on success, a google.rpc.Status on failure.
 */
export type OtlpEncoding = "protobuf" | "json";

function varint(n: number, out: number[]): void {
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
}

function stringField(field: number, s: string, out: number[]): void {
  const bytes = Buffer.from(s, "utf8");
  out.push((field << 3) | 2);
  varint(bytes.length, out);
  for (const b of bytes) out.push(b);
}

export function exportResponse(encoding: OtlpEncoding, rejectedSpans: number, errorMessage: string): Buffer {
  if (encoding === "json") {
    return Buffer.from(JSON.stringify(rejectedSpans > 0 ? { partialSuccess: { rejectedSpans: String(rejectedSpans), errorMessage } } : {}));
  }
  if (rejectedSpans === 0) return Buffer.alloc(0);
  const inner: number[] = [];
  inner.push(1 << 3); // rejected_spans: int64 varint
  varint(rejectedSpans, inner);
  stringField(2, errorMessage, inner);
  const out: number[] = [(1 << 3) | 2];
  varint(inner.length, out);
  return Buffer.from([...out, ...inner]);
}

/** google.rpc.Status { code = 1; message = 2 } with the gRPC code that matches the HTTP status. */
export function statusBody(encoding: OtlpEncoding, httpStatus: number, message: string): Buffer {
  const code = GRPC_CODE_OF_HTTP[httpStatus] ?? 2;
  if (encoding === "json") return Buffer.from(JSON.stringify({ code, message }));
  const out: number[] = [1 << 3];
  varint(code, out);
  stringField(2, message, out);
  return Buffer.from(out);
}

const GRPC_CODE_OF_HTTP: Record<number, number> = {
  400: 3, // INVALID_ARGUMENT
  401: 16, // UNAUTHENTICATED
  404: 5, // NOT_FOUND
  405: 12, // UNIMPLEMENTED
  413: 8, // RESOURCE_EXHAUSTED
  415: 3,
  429: 8,
  503: 14, // UNAVAILABLE
};
