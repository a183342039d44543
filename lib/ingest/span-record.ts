/**
 * One span as the ingest pipeline carries it: flat, already validated, ready to be written.
 * Decoders (collectors/otlp) produce these straight from the wire; nothing downstream sees OTLP.
 */
export interface SpanRecord {
  /** 32 lowercase hex characters. */
  traceId: string;
  /** 16 lowercase hex characters. */
  spanId: string;
  /** 16 lowercase hex characters, or "" for a root span. */
  parentSpanId: string;
  /** Resource attribute `service.name`, or "unknown_service" when absent. */
  service: string;
  name: string;
  /** OTLP SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  /** Start time, epoch milliseconds (fractional: sub-millisecond precision kept). */
  startMs: number;
  /** end − start in milliseconds (fractional), never negative. */
  durationMs: number;
  /** OTLP StatusCode: 0 unset, 1 ok, 2 error. */
  statusCode: number;
  statusMessage: string;
  /** Span attributes as a JSON object text (strings truncated to the attribute length limit). */
  attributes: string;
  /** Resource attributes as a JSON object text (shared by all spans of one ResourceSpans). */
  resource: string;
  /** Instrumentation scope name ("" when absent). */
  scope: string;
  /** Span events as a JSON array text: [{ "timeMs": number, "name": string, "attributes": {...} }]. */
  events: string;
  /** Span links as a JSON array text: [{ "traceId": hex, "spanId": hex, "attributes": {...} }]. */
  links: string;
}
