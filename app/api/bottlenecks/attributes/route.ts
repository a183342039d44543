import { compareAttributes } from "@/lib/analysis/attribute-comparison";
import { parseWindow } from "@/lib/analysis/time-window";
import { DEFAULT_SPAN_SAMPLE, operationSpans } from "@/lib/store/attribute-queries";
import { prisma } from "@/lib/store/prisma";
import { jsonOr400 } from "@/lib/web/json-response";

export const dynamic = "force-dynamic";

/**
 * GET /api/bottlenecks/attributes?service=&operation=&window=1h&minDurationMs=120 (flagged: spans
 * at least that slow) or &errorsOnly=true (flagged: spans with error status): which attribute
 * values are over-represented among the flagged spans of the operation, against the rest.
 */
export function GET(req: Request) {
  const p = new URL(req.url).searchParams;
  const service = p.get("service")?.trim();
  const operation = p.get("operation")?.trim();
  if (!service || !operation) return badRequest("service and operation are required");
  const errorsOnly = p.get("errorsOnly") === "true";
  const rawThreshold = p.get("minDurationMs");
  const threshold = rawThreshold === null || rawThreshold.trim() === "" ? NaN : Number(rawThreshold);
  if (!errorsOnly && !(Number.isFinite(threshold) && threshold >= 0)) {
    return badRequest("give minDurationMs (a duration in milliseconds, ≥ 0) or errorsOnly=true");
  }
  return jsonOr400(async () => {
    const w = parseWindow(p, Date.now());
    const spans = await operationSpans(prisma(), { service, operation, fromMs: w.from, toMs: w.to, limit: DEFAULT_SPAN_SAMPLE });
    const comparison = errorsOnly
      ? compareAttributes(spans, (s) => s.error)
      : compareAttributes(spans, (s) => s.durationMs >= threshold);
    return {
      ...w, service, operation,
      flaggedBy: errorsOnly ? "errors" : "latency",
      ...(errorsOnly ? {} : { threshold }),
      sampled: spans.length,
      ...comparison,
    };
  });
}

function badRequest(error: string): Response {
  return Response.json({ error }, { status: 400 });
}
