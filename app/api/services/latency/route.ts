import { serviceSeries } from "@/lib/analysis/service-stats";
import { chartStepMs, parseWindow } from "@/lib/analysis/time-window";
import { prisma } from "@/lib/store/prisma";
import { serviceMinuteBuckets, serviceMinuteTotals } from "@/lib/store/rollup-queries";
import { jsonOr400 } from "@/lib/web/json-response";

export const dynamic = "force-dynamic";

/** GET /api/services/latency?window=1h: per service, rate and p50/p95/p99 over time. */
export function GET(req: Request) {
  return jsonOr400(async () => {
    const w = parseWindow(new URL(req.url).searchParams, Date.now());
    const stepMs = chartStepMs(w);
    const [from, to] = [Math.floor(w.from / 60_000), Math.floor(w.to / 60_000)];
    const [totals, buckets] = await Promise.all([serviceMinuteTotals(prisma(), from, to), serviceMinuteBuckets(prisma(), from, to)]);
    return { ...w, stepMs, series: serviceSeries(totals, buckets, stepMs) };
  });
}
