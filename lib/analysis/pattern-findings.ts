import { durationText } from "./duration-text";
import type { OpStats } from "./operation-stats";
import { type WindowStats, int, windowStats } from "./regressions";
import { spanKindName } from "./span-kind";

/**
 * `n_plus_one` and `sequential_calls` findings from the pattern hits that trace completion adds to
 * the rollups. Both point at code, not capacity: more replicas would not make them go away.
 */
export interface PatternFinding {
  id: string;
  kind: "n_plus_one" | "sequential_calls";
  service: string; operation: string; spanKind: string;
  /** Critical-path time the pattern cost users in the window, ms (what fixing it could give back). */
  score: number;
  summary: string;
  evidence: { current: WindowStats; hits: number; callsPerHit?: number; msPerHit: number; test: string; traceSearch: string };
}

/** Fewer hits than this in a window is an anecdote, not a pattern. */
const MIN_HITS = 5;

export function patternFindings(ops: Map<string, OpStats>, w: { from: number; to: number; searchWindow: string }): PatternFinding[] {
  const out: PatternFinding[] = [];
  for (const [key, o] of ops) {
    const id = key.replaceAll("\u0000", ":");
    const common = { service: o.service, operation: o.operation, spanKind: spanKindName(o.kind), current: windowStats(o, w.from, w.to) };
    const search = `/traces?${new URLSearchParams({ service: o.service, operation: o.operation, window: w.searchWindow })}`;
    if (o.nPlusOneTraces >= MIN_HITS && o.nPlusOneMs > 0) {
      const perHit = o.nPlusOneCalls / o.nPlusOneTraces;
      out.push({
        id: `n_plus_one:${id}`, kind: "n_plus_one", service: o.service, operation: o.operation, spanKind: common.spanKind,
        score: o.nPlusOneMs,
        summary: `${o.operation} in ${o.service} is called ${perHit.toFixed(1)}× in a row by the same parent (N+1), ${int(o.nPlusOneTraces)} times: ` +
          `${durationText(o.nPlusOneMs / o.nPlusOneTraces)} of waiting each time; batch it into one call`,
        evidence: { current: common.current, hits: o.nPlusOneTraces, callsPerHit: perHit, msPerHit: o.nPlusOneMs / o.nPlusOneTraces, traceSearch: search,
          test: `${int(o.nPlusOneCalls)} calls in ${int(o.nPlusOneTraces)} repeats of 5 or more under one parent, ${durationText(o.nPlusOneMs)} on the critical path` },
      });
    }
    if (o.sequentialTraces >= MIN_HITS && o.sequentialSavingMs > 0) {
      out.push({
        id: `sequential_calls:${id}`, kind: "sequential_calls", service: o.service, operation: o.operation, spanKind: common.spanKind,
        score: o.sequentialSavingMs,
        summary: `${o.operation} in ${o.service} calls its downstreams one after another; in parallel it would save ` +
          `${durationText(o.sequentialSavingMs / o.sequentialTraces)} per request (${durationText(o.sequentialSavingMs)} in this window)`,
        evidence: { current: common.current, hits: o.sequentialTraces, msPerHit: o.sequentialSavingMs / o.sequentialTraces, traceSearch: search,
          test: `${int(o.sequentialTraces)} requests made non-overlapping calls to different downstreams while the request waited` },
      });
    }
  }
  return out;
}
