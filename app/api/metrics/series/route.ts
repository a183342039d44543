import { prisma } from "@/lib/store/prisma";
import { browseSeries, seriesTargets } from "@/lib/store/metric-queries";
import { jsonOr400 } from "@/lib/web/json-response";

export const dynamic = "force-dynamic";

/** GET /api/metrics/series?job=&instance=&name=<prefix>&limit=: stored series with their latest sample, and the jobs/instances there are. */
export function GET(req: Request) {
  return jsonOr400(async () => {
    const p = new URL(req.url).searchParams;
    const limit = Math.min(Math.max(Number(p.get("limit")) || 200, 1), 1000);
    const filter = { limit, ...(p.get("job") ? { job: p.get("job")! } : {}), ...(p.get("instance") ? { instance: p.get("instance")! } : {}), ...(p.get("name") ? { name: p.get("name")! } : {}) };
    const [series, targets] = await Promise.all([browseSeries(prisma(), filter, Date.now()), seriesTargets(prisma())]);
    return { series, targets };
  });
}
