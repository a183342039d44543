import { traceView } from "@/lib/analysis/trace-view";
import { prisma } from "@/lib/store/prisma";
import { traceSpans } from "@/lib/store/trace-queries";

export const dynamic = "force-dynamic";

const HOUR_MS = 3_600_000;
const retentionMs = Number(process.env.PINCHPOINT_SPAN_RETENTION_HOURS || 24) * HOUR_MS;

/** GET /api/traces/:traceId: the spans of a trace with self time, and its critical path. */
export async function GET(_req: Request, { params }: { params: Promise<{ traceId: string }> }) {
  const { traceId } = await params;
  const id = traceId.toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(id) || /^0+$/.test(id)) {
    return Response.json({ error: "trace id must be 32 hex characters, not all zero" }, { status: 400 });
  }
  const now = Date.now();
  // Spans are kept for the retention period; an hour ahead covers clocks that run fast.
  const spans = await traceSpans(prisma(), id, now - retentionMs, now + HOUR_MS);
  if (spans.length === 0) {
    return Response.json({ error: `trace ${id} not found in the last ${retentionMs / HOUR_MS} h (raw spans are kept that long)` }, { status: 404 });
  }
  return Response.json(traceView(spans));
}
