import { criticalPathHotspots } from "@/lib/analysis/hotspots";
import { operationStats } from "@/lib/analysis/operation-stats";
import { patternFindings } from "@/lib/analysis/pattern-findings";
import { errorBudgetFindings } from "@/lib/analysis/slo-findings";
import { compareWindows } from "@/lib/analysis/regressions";
import { slowOperations } from "@/lib/analysis/slow-operations";
import { parseWindow } from "@/lib/analysis/time-window";
import { sloBurns } from "@/lib/slos/status";
import { prisma } from "@/lib/store/prisma";
import { operationBuckets, operationTotals } from "@/lib/store/rollup-queries";
import { jsonOr400 } from "@/lib/web/json-response";

export const dynamic = "force-dynamic";

async function statsBetween(fromMs: number, toMs: number) {
  const [from, to] = [Math.floor(fromMs / 60_000), Math.floor(toMs / 60_000)];
  const [totals, buckets] = await Promise.all([operationTotals(prisma(), from, to), operationBuckets(prisma(), from, to)]);
  return operationStats(totals, buckets);
}

/**
 * GET /api/bottlenecks?window=1h: ranked findings: critical-path hotspots, N+1 and sequential calls, latency
 * regressions and error spikes against the window of the same length before, and operations slow in their own code
 * against the day before, and SLOs burning their error budget too fast. Score = user time lost (ms).
 */
export function GET(req: Request) {
  return jsonOr400(async () => {
    const w = parseWindow(new URL(req.url).searchParams, Date.now());
    const length = w.to - w.from;
    // Whole minutes: the baseline ends where the window's first minute starts, so none is counted twice.
    const windowStart = Math.floor(w.from / 60_000) * 60_000;
    const baseline = { from: windowStart - length, to: windowStart - 1 };
    // slow_operation compares with the operation's own history: the day before the window.
    const history = { from: windowStart - 24 * 3_600_000, to: windowStart - 1 };
    const [current, before, day, burns] = await Promise.all([
      statsBetween(w.from, w.to), statsBetween(baseline.from, baseline.to), statsBetween(history.from, history.to), sloBurns(prisma(), w.from, w.to, Date.now()),
    ]);
    const custom = w.window === "custom";
    const label = custom ? `${Math.round(length / 60_000)} min` : w.window;
    const searchWindow = custom ? "24h" : w.window;
    const findings = [
      ...criticalPathHotspots(current, { from: w.from, to: w.to, searchWindow }),
      ...patternFindings(current, { from: w.from, to: w.to, searchWindow }),
      ...compareWindows(current, before, { current: { from: w.from, to: w.to }, baseline, label, searchWindow }),
      ...slowOperations(current, day, { current: { from: w.from, to: w.to }, history, searchWindow }),
      ...errorBudgetFindings(burns, { searchWindow }),
    ].sort((a, b) => b.score - a.score);
    return { ...w, findings };
  });
}
