import { storeTarget } from "@/lib/store/database-url";
import { prisma } from "@/lib/store/prisma";
import { storeReachable } from "@/lib/store/rollup-queries";

export const dynamic = "force-dynamic";

const collectorPort = Number(process.env.COLLECTOR_PORT || 4318);

/** The collector's own health (queue depth) from its port; null when it does not answer. */
async function collectorHealth(): Promise<{ queue: { depth: number; capacity: number } } | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${collectorPort}/health`, { signal: AbortSignal.timeout(1000) });
    return res.ok ? await res.json() : null;
  } catch {
    return null;
  }
}

/** GET /api/health: 200 when the store answers, 503 otherwise; queue depth from the collector. */
export async function GET() {
  const [reachable, collector] = await Promise.all([storeReachable(prisma()), collectorHealth()]);
  const body = {
    status: reachable && collector ? "ok" : reachable ? "degraded" : "down",
    store: { reachable, kind: storeTarget().kind },
    collector: { reachable: collector !== null, port: collectorPort },
    collectorPort,
    queue: collector?.queue ?? null,
  };
  return Response.json(body, { status: reachable ? 200 : 503 });
}
