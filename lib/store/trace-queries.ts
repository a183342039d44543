import type { Prisma } from "./prisma";
import { idKey, minuteOf } from "./span-keys";

export interface StoredSpan {
  traceId: string; spanId: string; parentSpanId: string; service: string; name: string; kind: number;
  startMs: number; durationMs: number; statusCode: number; statusMessage: string;
  attributes: string; resource: string; scope: string; events: string; links: string;
}

/**
 * The spans of one trace that started in [fromMs, toMs]. The span index leads with the minute,
 * so the lookup seeks (minute, trace key) for each minute of the range rather than scanning it.
 */
export async function traceSpans(db: Prisma, traceId: string, fromMs: number, toMs: number): Promise<StoredSpan[]> {
  const found = [];
  // Prisma binds each minute as a parameter and SQLite takes at most 999 per statement.
  for (let first = minuteOf(fromMs); first <= minuteOf(toMs); first += MINUTES_PER_QUERY) {
    const minutes = Array.from({ length: Math.min(MINUTES_PER_QUERY, minuteOf(toMs) - first + 1) }, (_, i) => first + i);
    found.push(...(await db.span.findMany({
      where: { minute: { in: minutes }, traceKey: BigInt(idKey(traceId)), traceId },
      select: { traceId: true, spanId: true, parentSpanId: true, service: true, name: true, kind: true, startMs: true, durationMs: true,
        statusCode: true, statusMessage: true, attributes: true, resourceKey: true, scope: true, events: true, links: true },
    })));
  }
  const resources = await db.resource.findMany({ where: { key: { in: [...new Set(found.map((s) => s.resourceKey))] } } });
  const attributesOf = new Map(resources.map((r) => [r.key, r.attributes]));
  return found
    .map(({ resourceKey, ...s }) => ({ ...s, resource: attributesOf.get(resourceKey) ?? "{}" }))
    .sort((a, b) => a.startMs - b.startMs);
}

const MINUTES_PER_QUERY = 900;

export interface TraceSearch { fromMs: number; toMs: number; service?: string; operation?: string; minDurationMs?: number; errorsOnly?: boolean; limit: number }

export interface TraceHit { traceId: string; spanId: string; service: string; operation: string; startMs: number; durationMs: number; error: boolean }

/** The slowest matching spans in the window, one per trace: the entry points of the trace search. */
export async function searchTraces(db: Prisma, q: TraceSearch): Promise<TraceHit[]> {
  const rows = await db.span.findMany({
    where: {
      minute: { gte: minuteOf(q.fromMs), lte: minuteOf(q.toMs) }, // the indexed range
      startMs: { gte: q.fromMs, lte: q.toMs },
      ...(q.service ? { service: q.service } : {}),
      ...(q.operation ? { name: q.operation } : {}),
      ...(q.minDurationMs ? { durationMs: { gte: q.minDurationMs } } : {}),
      ...(q.errorsOnly ? { statusCode: 2 } : {}),
    },
    select: { traceId: true, spanId: true, service: true, name: true, startMs: true, durationMs: true, statusCode: true },
    orderBy: { durationMs: "desc" },
    take: q.limit * 5,
  });
  const seen = new Set<string>();
  const hits: TraceHit[] = [];
  for (const r of rows) {
    if (seen.has(r.traceId) || hits.length >= q.limit) continue;
    seen.add(r.traceId);
    hits.push({ traceId: r.traceId, spanId: r.spanId, service: r.service, operation: r.name, startMs: r.startMs, durationMs: r.durationMs, error: r.statusCode === 2 });
  }
  return hits;
}
