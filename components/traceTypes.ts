/**
 * Shapes of the trace endpoints of the JSON API (`GET /api/traces`, `GET /api/traces/:traceId`).
 * The trace pages read only these; they never import lib/*.
 */

export interface TraceHit {
  traceId: string;
  /** The span of the trace that matched the search. */
  spanId: string;
  service: string;
  operation: string;
  startMs: number;
  durationMs: number;
  error: boolean;
}

export interface TraceSearchResponse {
  window: string;
  from: number;
  to: number;
  traces: TraceHit[];
}

export type SpanKindName = "server" | "client" | "internal" | "producer" | "consumer" | "unspecified";
export type SpanStatus = "unset" | "ok" | "error";

export interface SpanEvent {
  timeMs: number;
  name: string;
  attributes?: Record<string, unknown>;
}

export interface TraceSpan {
  spanId: string;
  parentSpanId: string;
  service: string;
  name: string;
  kind: SpanKindName;
  startMs: number;
  durationMs: number;
  selfMs: number;
  status: SpanStatus;
  statusMessage: string;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  scope: string;
  events: SpanEvent[];
  links: unknown[];
  onCriticalPath: boolean;
  /** The span names a parent that is not in the trace (not received, or dropped). */
  missingParent: boolean;
  /** The span lies outside its parent on another service: the two hosts' clocks disagree. */
  clockSkew: boolean;
}

export interface CriticalSection {
  spanId: string;
  startMs: number;
  endMs: number;
}

export interface TraceDetail {
  traceId: string;
  startMs: number;
  durationMs: number;
  services: string[];
  errorCount: number;
  incomplete: boolean;
  duplicateSpanIds: string[];
  spans: TraceSpan[];
  criticalPath: CriticalSection[];
}
