import { criticalPath } from "./critical-path";
import { isEntrySpan } from "./span-kind";
import { tracePatterns } from "./trace-patterns";
import { type TraceSpan, buildTraceTree, selfTimes } from "./trace-tree";

/** What one finished trace adds to the minute rollups of its operations. */
export interface TraceContribution {
  minute: number; service: string; operation: string; kind: number; entry: number;
  criticalMs: number; selfMs: number;
  /** End-to-end time of this trace, added once per operation (to the minute it first appears in). */
  traceMs: number;
  nPlusOneTraces: number; nPlusOneCalls: number; nPlusOneMs: number;
  sequentialTraces: number; sequentialSavingMs: number;
}


/**
 * Critical-path time and self time per (minute of the span's start, service, operation, kind,
 * entry), the same keys as the ingest rollups, so that both land in the same rows.
 */
export function traceContributions(spans: TraceSpan[]): TraceContribution[] {
  const tree = buildTraceTree(spans);
  const self = selfTimes(tree);
  const critical = new Map<string, number>();
  for (const s of criticalPath(tree).sections) critical.set(s.spanId, (critical.get(s.spanId) ?? 0) + (s.endMs - s.startMs));
  const traceMs = tree.roots.reduce((t, r) => t + Math.max(0, r.span.durationMs), 0);
  const out = new Map<string, TraceContribution>();
  const counted = new Set<string>();
  const keyOfSpan = new Map<string, string>();
  for (const { span } of [...tree.byId.values()].sort((a, b) => a.span.startMs - b.span.startMs)) {
    const entry = isEntrySpan(span) ? 1 : 0;
    const minute = Math.floor(span.startMs / 60_000);
    const key = `${minute}\u0000${span.service}\u0000${span.name}\u0000${span.kind}\u0000${entry}`;
    let c = out.get(key);
    if (!c) {
      c = { minute, service: span.service, operation: span.name, kind: span.kind, entry, criticalMs: 0, selfMs: 0, traceMs: 0,
        nPlusOneTraces: 0, nPlusOneCalls: 0, nPlusOneMs: 0, sequentialTraces: 0, sequentialSavingMs: 0 };
      out.set(key, c);
    }
    keyOfSpan.set(span.spanId, key);
    c.criticalMs += critical.get(span.spanId) ?? 0;
    c.selfMs += self.get(span.spanId) ?? 0;
    const operation = `${span.service}\u0000${span.name}\u0000${span.kind}\u0000${entry}`;
    if (!counted.has(operation)) {
      counted.add(operation);
      c.traceMs += traceMs;
    }
  }
  for (const hit of tracePatterns(tree, critical)) {
    const c = out.get(keyOfSpan.get(hit.spanId)!)!;
    if (hit.kind === "n_plus_one") {
      c.nPlusOneTraces++;
      c.nPlusOneCalls += hit.calls;
      c.nPlusOneMs += hit.ms;
    } else {
      c.sequentialTraces++;
      c.sequentialSavingMs += hit.ms;
    }
  }
  return [...out.values()];
}
