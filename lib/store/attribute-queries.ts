import type { Prisma } from "./prisma";
import { minuteOf } from "./span-keys";

export interface OperationSpanQuery { service: string; operation: string; fromMs: number; toMs: number; limit: number }

export interface OperationSpan {
  startMs: number;
  durationMs: number;
  /** Status code 2 (error). */
  error: boolean;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
}

/** The default and the most spans one comparison reads. */
export const DEFAULT_SPAN_SAMPLE = 5000;

/**
 * Up to `limit` spans of one (service, operation) that started in [fromMs, toMs], the most
 * recent first, with their span and resource attributes parsed.
 */
export async function operationSpans(db: Prisma, q: OperationSpanQuery): Promise<OperationSpan[]> {
  const rows = await db.span.findMany({
    where: {
      minute: { gte: minuteOf(q.fromMs), lte: minuteOf(q.toMs) }, // the indexed range
      startMs: { gte: q.fromMs, lte: q.toMs },
      service: q.service,
      name: q.operation,
    },
    select: { startMs: true, durationMs: true, statusCode: true, attributes: true, resourceKey: true },
    orderBy: { startMs: "desc" },
    take: Math.max(1, Math.floor(q.limit)),
  });
  const keys = [...new Set(rows.map((r) => r.resourceKey))];
  const resources = keys.length ? await db.resource.findMany({ where: { key: { in: keys } } }) : [];
  const resourceOf = new Map(resources.map((r) => [r.key, parseObject(r.attributes)]));
  return rows.map((r) => ({
    startMs: r.startMs,
    durationMs: r.durationMs,
    error: r.statusCode === 2,
    attributes: parseObject(r.attributes),
    resource: resourceOf.get(r.resourceKey) ?? {},
  }));
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
