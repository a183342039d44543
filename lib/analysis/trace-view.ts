import { criticalPath } from "./critical-path";
import { spanKindName } from "./span-kind";
import { buildTraceTree, selfTimes } from "./trace-tree";

/** A stored span with its JSON columns still as text. */
export interface RawSpan {
  traceId: string; spanId: string; parentSpanId: string; service: string; name: string; kind: number;
  startMs: number; durationMs: number; statusCode: number; statusMessage: string;
  attributes: string; resource: string; scope: string; events: string; links: string;
}

const STATUS = ["unset", "ok", "error"] as const;

/**
 * Everything the trace page shows: spans with self time and flags, the critical path, and the
 * trace's extent. `status` is "unset" | "ok" | "error"; JSON columns are parsed.
 */
export function traceView(raw: RawSpan[]) {
  const tree = buildTraceTree(raw);
  const self = selfTimes(tree);
  const { sections } = criticalPath(tree);
  const onPath = new Set(sections.map((s) => s.spanId));
  const spans = [...tree.byId.values()].map(({ span: s, missingParent, clockSkew }) => ({
    spanId: s.spanId, parentSpanId: s.parentSpanId, service: s.service, name: s.name, kind: spanKindName(s.kind),
    startMs: s.startMs, durationMs: s.durationMs, selfMs: self.get(s.spanId) ?? 0,
    status: STATUS[s.statusCode] ?? "unset", statusMessage: s.statusMessage,
    attributes: JSON.parse(s.attributes) as Record<string, unknown>, resource: JSON.parse(s.resource) as Record<string, unknown>,
    scope: s.scope, events: JSON.parse(s.events) as unknown[], links: JSON.parse(s.links) as unknown[],
    onCriticalPath: onPath.has(s.spanId), missingParent, clockSkew,
  }));
  const startMs = Math.min(...spans.map((s) => s.startMs));
  const endMs = Math.max(...spans.map((s) => s.startMs + Math.max(0, s.durationMs)));
  return {
    traceId: raw[0]?.traceId ?? "",
    startMs, durationMs: endMs - startMs,
    services: [...new Set(spans.map((s) => s.service))].sort(),
    errorCount: spans.filter((s) => s.status === "error").length,
    incomplete: tree.roots.some((r) => r.missingParent),
    duplicateSpanIds: tree.duplicateSpanIds,
    spans,
    criticalPath: sections.map(({ spanId, startMs, endMs }) => ({ spanId, startMs, endMs })),
  };
}
