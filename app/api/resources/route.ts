import { parseWindow } from "@/lib/analysis/time-window";
import { measureResourcesIn } from "@/lib/bottlenecks";
import { prisma } from "@/lib/store/prisma";
import { seenOperations } from "@/lib/store/sli-queries";
import { jsonOr400 } from "@/lib/web/json-response";

export const dynamic = "force-dynamic";

/**
 * GET /api/resources?window=1h[&service=]: every resource found in the metrics with its
 * utilization, usage and capacity per minute, for the charts beside a service's latency.
 */
export function GET(req: Request) {
  return jsonOr400(async () => {
    const params = new URL(req.url).searchParams;
    const w = parseWindow(params, Date.now());
    const services = (await seenOperations(prisma(), Math.floor(w.from / 60_000))).map((s) => s.name);
    const service = params.get("service");
    const measured = await measureResourcesIn(prisma(), services, w.from, w.to);
    const resources = measured
      .filter((m) => !service || m.plan.services.includes(service))
      .map(({ plan, usagePerInstance: _perInstance, ...m }) => ({ id: plan.id, name: plan.name, kind: plan.kind, services: plan.services, metric: plan.metric, source: plan.source, ...m }));
    return { ...w, resources };
  });
}
