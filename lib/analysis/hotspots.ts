import { durationText } from "./duration-text";
import type { OpStats } from "./operation-stats";
import { type WindowStats, int, pct, windowStats } from "./regressions";
import { spanKindName } from "./span-kind";

/**
 * `critical_path_hotspot`: the operations that own the most end-to-end latency on the critical
 * path of completed traces. Ranked by the critical-path time they own in the window (what a fix
 * could give back to users), shown with their share of the latency of the requests they are part
 * of. An operation that is slow but never what its caller waits for (it runs beside a longer call,
 * or after the response) owns no critical-path time, so it is not reported however slow it is.
 */
export interface HotspotFinding {
  id: string;
  kind: "critical_path_hotspot";
  service: string; operation: string; spanKind: string;
  /** Critical-path time owned in the window, ms: the user-facing latency a fix could give back. */
  score: number;
  summary: string;
  evidence: { current: WindowStats; criticalPathMs: number; criticalPathShare: number; selfMs: number; test: string; traceSearch: string };
}

/** Owning less than this of its requests' latency, an operation is not what makes them slow. */
const MIN_SHARE = 0.15;
const MIN_CALLS = 10;
const MAX_HOTSPOTS = 10;

export function criticalPathHotspots(ops: Map<string, OpStats>, w: { from: number; to: number; searchWindow: string }): HotspotFinding[] {
  return [...ops.entries()]
    .filter(([, o]) => o.count >= MIN_CALLS && o.traceMs > 0 && o.criticalMs / o.traceMs >= MIN_SHARE)
    .sort((a, b) => b[1].criticalMs - a[1].criticalMs)
    .slice(0, MAX_HOTSPOTS)
    .map(([key, o]) => {
      const share = o.criticalMs / o.traceMs;
      const search = new URLSearchParams({ service: o.service, operation: o.operation, window: w.searchWindow });
      return {
        id: `critical_path_hotspot:${key.replaceAll("\u0000", ":")}`,
        kind: "critical_path_hotspot" as const,
        service: o.service, operation: o.operation, spanKind: spanKindName(o.kind),
        score: o.criticalMs,
        summary: `${o.operation} in ${o.service} owns ${pct(share)} of the end-to-end latency of the requests it is part of: ` +
          `${durationText(o.criticalMs)} on the critical path over ${int(o.count)} calls (${durationText(o.criticalMs / o.count)} per call)`,
        evidence: {
          current: windowStats(o, w.from, w.to), criticalPathMs: o.criticalMs, criticalPathShare: share, selfMs: o.selfMs,
          test: `${durationText(o.criticalMs)} on the critical path of traces lasting ${durationText(o.traceMs)} end to end in all`,
          traceSearch: `/traces?${search}`,
        },
      };
    });
}
