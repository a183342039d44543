import { sloStatus } from "@/lib/slos/status";
import { prisma } from "@/lib/store/prisma";
import { getSlo } from "@/lib/store/slo-store";
import { notFound } from "@/lib/web/request-body";

export const dynamic = "force-dynamic";

/** GET /api/slos/:id/status: SLI, budget, burn rates, alerts (DESIGN.md) plus the page's charts and reports. */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const slo = await getSlo(prisma(), (await params).id);
  return slo ? Response.json(await sloStatus(prisma(), slo, Date.now())) : notFound("SLO");
}
