import { alertHistory } from "@/lib/store/alert-store";
import { prisma } from "@/lib/store/prisma";
import { jsonOr400 } from "@/lib/web/json-response";

export const dynamic = "force-dynamic";

const DEFAULT_LIMIT = 200;

/** GET /api/alerts[?sloId=&limit=]: alert history, the most recent first, with each delivery's attempts. */
export function GET(req: Request) {
  return jsonOr400(async () => {
    const params = new URL(req.url).searchParams;
    const limit = Math.min(Math.max(Number(params.get("limit")) || DEFAULT_LIMIT, 1), 1000);
    const sloId = params.get("sloId") ?? undefined;
    return { alerts: await alertHistory(prisma(), { limit, ...(sloId ? { sloId } : {}) }) };
  });
}
