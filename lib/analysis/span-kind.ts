/** OTLP SpanKind numbers → the names the API and pages show. */
export const SPAN_KIND_NAMES = ["unspecified", "internal", "server", "client", "producer", "consumer"] as const;

export function spanKindName(kind: number): string {
  return SPAN_KIND_NAMES[kind] ?? "unspecified";
}

const SERVER = 2;
const CONSUMER = 5;

/** A request enters a service through a server or consumer span, or a trace root of any kind. */
export function isEntrySpan(s: { kind: number; parentSpanId: string }): boolean {
  return s.kind === SERVER || s.kind === CONSUMER || s.parentSpanId === "";
}
