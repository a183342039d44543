import { durationText } from "./duration-text";
import type { OpStats } from "./operation-stats";
import { type WindowStats, int, pct, windowStats } from "./regressions";
import { spanKindName } from "./span-kind";

/**
 * `critical_path_hotspot`: the operations that own the largest share of end-to-end latency on the
 * critical path of completed traces. An operation that is slow but never what its caller waits
 * for (it runs beside a longer call, or after the response) owns no critical-path time, so it
 * is not reported here however slow it is.
 */
export interface HotspotFinding {
  id: string;
  kind: "critical_path_hotspot";
  service: string; operation: string; spanKind: string;
  /** Critical-path time owned in the window, ms: the user-facing latency a fix could remove. */
  score: number;
  summary: string;
  evidence: { current: WindowStats; criticalPathMs: number; criticalPathShare: number; selfMs: number; test: string; traceSearch: string };
}

const MIN_SHARE = 0.05;
const MIN_CALLS = 10;
const MAX_HOTSPOTS = 5;

export function criticalPathHotspots(ops: Map<string, OpStats>, w: { from: number; to: number; searchWindow: string }): HotspotFinding[] {
  let total = 0;
  for (const o of ops.values()) total += o.criticalMs;
  if (total === 0) return [];
  return [...ops.entries()]
    .filter(([, o]) => o.count >= MIN_CALLS && o.criticalMs / total >= MIN_SHARE)
    .sort((a, b) => b[1].criticalMs - a[1].criticalMs)
    .slice(0, MAX_HOTSPOTS)
    .map(([key, o]) => {
      const share = o.criticalMs / total;
      const search = new URLSearchParams({ service: o.service, operation: o.operation, window: w.searchWindow });
      return {
        id: `critical_path_hotspot:${key.replaceAll("\u0000", ":")}`,
        kind: "critical_path_hotspot" as const,
        service: o.service, operation: o.operation, spanKind: spanKindName(o.kind),
        score: o.criticalMs,
        summary: `${o.operation} in ${o.service} owns ${pct(share)} of end-to-end latency on the critical path: ` +
          `${durationText(o.criticalMs)} over ${int(o.count)} calls (${durationText(o.criticalMs / o.count)} per call)`,
        evidence: {
          current: windowStats(o, w.from, w.to), criticalPathMs: o.criticalMs, criticalPathShare: share, selfMs: o.selfMs,
          test: `${durationText(o.criticalMs)} of ${durationText(total)} critical-path time in the window's completed traces`,
          traceSearch: `/traces?${search}`,
        },
      };
    });
}
