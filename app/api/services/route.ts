import { summariseServices } from "@/lib/analysis/service-stats";
import { parseWindow } from "@/lib/analysis/time-window";
import { prisma } from "@/lib/store/prisma";
import { operationBuckets, operationTotals } from "@/lib/store/rollup-queries";
import { jsonOr400 } from "@/lib/web/json-response";

export const dynamic = "force-dynamic";

/** GET /api/services?window=1h: per service and operation, rates and latency percentiles. */
export function GET(req: Request) {
  return jsonOr400(async () => {
    const w = parseWindow(new URL(req.url).searchParams, Date.now());
    const [from, to] = [Math.floor(w.from / 60_000), Math.floor(w.to / 60_000)];
    const [totals, buckets] = await Promise.all([operationTotals(prisma(), from, to), operationBuckets(prisma(), from, to)]);
    return { ...w, services: summariseServices(totals, buckets, w.to - w.from) };
  });
}
