/** OTLP SpanKind numbers → the names the API and pages show. */
export const SPAN_KIND_NAMES = ["unspecified", "internal", "server", "client", "producer", "consumer"] as const;

export function spanKindName(kind: number): string {
  return SPAN_KIND_NAMES[kind] ?? "unspecified";
}
