import { prisma } from "@/lib/store/prisma";
import { seenOperations } from "@/lib/store/sli-queries";
import { jsonOr400 } from "@/lib/web/json-response";

export const dynamic = "force-dynamic";

const LOOKBACK_MINUTES = 30 * 1440;

/** GET /api/slos/options: the services and operations seen in the last 30 days, for the SLO form. */
export function GET() {
  return jsonOr400(async () => ({ services: await seenOperations(prisma(), Math.floor(Date.now() / 60_000) - LOOKBACK_MINUTES) }));
}
