import { parseWindow } from "@/lib/analysis/time-window";
import { findBottlenecks } from "@/lib/bottlenecks";
import { prisma } from "@/lib/store/prisma";
import { jsonOr400 } from "@/lib/web/json-response";

export const dynamic = "force-dynamic";

/** GET /api/bottlenecks?window=1h: ranked findings (see lib/bottlenecks.ts). Score = user time lost (ms). */
export function GET(req: Request) {
  return jsonOr400(async () => {
    const now = Date.now();
    const w = parseWindow(new URL(req.url).searchParams, now);
    return { ...w, findings: (await findBottlenecks(prisma(), w, now)).findings };
  });
}
