import { parseWindow } from "@/lib/analysis/time-window";
import { prisma } from "@/lib/store/prisma";
import { searchTraces } from "@/lib/store/trace-queries";
import { jsonOr400 } from "@/lib/web/json-response";

export const dynamic = "force-dynamic";

/**
 * GET /api/traces?window=1h&service=&operation=&minDurationMs=&errorsOnly=true&limit=50:
 * matching traces, slowest first, each with the span that matched.
 */
export function GET(req: Request) {
  return jsonOr400(async () => {
    const p = new URL(req.url).searchParams;
    const w = parseWindow(p, Date.now());
    const minDurationMs = Number(p.get("minDurationMs") ?? 0);
    const limit = Math.min(200, Math.max(1, Number(p.get("limit") ?? 50) || 50));
    const traces = await searchTraces(prisma(), {
      fromMs: w.from, toMs: w.to, service: p.get("service") || undefined, operation: p.get("operation") || undefined,
      minDurationMs: Number.isFinite(minDurationMs) && minDurationMs > 0 ? minDurationMs : undefined,
      errorsOnly: p.get("errorsOnly") === "true", limit,
    });
    return { ...w, traces };
  });
}
