import { durationText } from "./duration-text";
import { bucketIndex } from "./histogram";
import type { OpStats } from "./operation-stats";
import { type ComparisonFinding, type WindowStats, int, pct, twoProportionZ, windowStats } from "./regressions";
import { spanKindName } from "./span-kind";

/**
 * `slow_operation`: an operation whose p99 is well above its own history (the day before the
 * window) and whose time is mostly its own (self time), so the slowness is in its code or host,
 * not in what it calls. Significant only when many more requests than the usual 1 % are slower
 * than the historical p99 (two-proportion z ≥ 4).
 */
export interface SlowOperationFinding extends Omit<ComparisonFinding, "kind" | "evidence"> {
  kind: "slow_operation";
  evidence: { current: WindowStats; baseline: WindowStats; selfShare: number; test: string; traceSearch: string };
}

const MIN_REQUESTS = 100;
const MIN_SLOWDOWN = 1.5;
const MIN_SELF_SHARE = 0.5;
const Z_SIGNIFICANT = 4;

export function slowOperations(current: Map<string, OpStats>, history: Map<string, OpStats>,
  w: { current: { from: number; to: number }; history: { from: number; to: number }; searchWindow: string }): SlowOperationFinding[] {
  const out: SlowOperationFinding[] = [];
  for (const [key, now] of current) {
    const before = history.get(key);
    if (!before || now.count < MIN_REQUESTS || before.count < MIN_REQUESTS || now.sumMs === 0) continue;
    // Self time comes from completed traces; spans of traces still open count in sumMs only.
    const selfShare = Math.min(1, now.selfMs / now.sumMs);
    const cur = windowStats(now, w.current.from, w.current.to);
    const base = windowStats(before, w.history.from, w.history.to);
    const p99Before = base.p99Ms!;
    const bucket = bucketIndex(p99Before);
    let slowNow = 0;
    let slowBefore = 0;
    for (const [b, c] of now.histogram) if (b > bucket) slowNow += c;
    for (const [b, c] of before.histogram) if (b > bucket) slowBefore += c;
    const z = twoProportionZ(slowNow, now.count, slowBefore, before.count);
    if (selfShare < MIN_SELF_SHARE || cur.p99Ms! < MIN_SLOWDOWN * p99Before || z < Z_SIGNIFICANT || cur.meanMs! <= base.meanMs!) continue;
    const search = new URLSearchParams({ service: now.service, operation: now.operation, window: w.searchWindow, minDurationMs: String(Math.round(p99Before)) });
    out.push({
      id: `slow_operation:${key.replaceAll("\u0000", ":")}`, kind: "slow_operation",
      service: now.service, operation: now.operation, spanKind: spanKindName(now.kind),
      score: (cur.meanMs! - base.meanMs!) * now.count,
      summary: `${now.operation} in ${now.service} is slow in its own code: p99 ${durationText(cur.p99Ms!)} vs ${durationText(p99Before)} ` +
        `over the day before, and ${pct(selfShare)} of its time is self time`,
      evidence: { current: cur, baseline: base, selfShare, traceSearch: `/traces?${search}`,
        test: `${int(slowNow)} of ${int(now.count)} requests above the day's p99 of ${durationText(p99Before)} (${pct(slowNow / now.count)}, ` +
          `usually ${pct(slowBefore / before.count)}): z = ${z.toFixed(1)}` },
    });
  }
  return out;
}
