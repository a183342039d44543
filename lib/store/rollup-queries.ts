import type { Prisma } from "./prisma";

/** Rollup reads for a window of whole minutes [fromMinute, toMinute]; sums are done in the database. */
export interface TotalsRow { service: string; operation: string; kind: number; entry: number; count: number; errors: number; sumMs: number; criticalMs: number; selfMs: number; traceMs: number;
  nPlusOneTraces: number; nPlusOneCalls: number; nPlusOneMs: number; sequentialTraces: number; sequentialSavingMs: number }
export interface BucketRow { service: string; operation: string; kind: number; entry: number; bucket: number; count: number }
export interface MinuteTotalsRow { service: string; minute: number; entry: number; count: number; errors: number }
export interface MinuteBucketRow { service: string; minute: number; entry: number; bucket: number; count: number }

const inWindow = (fromMinute: number, toMinute: number) => ({ minute: { gte: fromMinute, lte: toMinute } });

export async function operationTotals(db: Prisma, fromMinute: number, toMinute: number): Promise<TotalsRow[]> {
  const rows = await db.rollup.groupBy({
    by: ["service", "operation", "kind", "entry"], where: inWindow(fromMinute, toMinute), _sum: { count: true, errors: true, sumMs: true, criticalMs: true, selfMs: true, traceMs: true,
      nPlusOneTraces: true, nPlusOneCalls: true, nPlusOneMs: true, sequentialTraces: true, sequentialSavingMs: true },
  });
  return rows.map((r) => ({ service: r.service, operation: r.operation, kind: r.kind, entry: r.entry,
    count: Number(r._sum.count ?? 0), errors: Number(r._sum.errors ?? 0), sumMs: Number(r._sum.sumMs ?? 0),
    criticalMs: Number(r._sum.criticalMs ?? 0), selfMs: Number(r._sum.selfMs ?? 0), traceMs: Number(r._sum.traceMs ?? 0),
    nPlusOneTraces: Number(r._sum.nPlusOneTraces ?? 0), nPlusOneCalls: Number(r._sum.nPlusOneCalls ?? 0), nPlusOneMs: Number(r._sum.nPlusOneMs ?? 0),
    sequentialTraces: Number(r._sum.sequentialTraces ?? 0), sequentialSavingMs: Number(r._sum.sequentialSavingMs ?? 0) }));
}

export async function operationBuckets(db: Prisma, fromMinute: number, toMinute: number): Promise<BucketRow[]> {
  const rows = await db.rollupBucket.groupBy({
    by: ["service", "operation", "kind", "entry", "bucket"], where: inWindow(fromMinute, toMinute), _sum: { count: true },
  });
  return rows.map((r) => ({ service: r.service, operation: r.operation, kind: r.kind, entry: r.entry, bucket: r.bucket, count: Number(r._sum.count ?? 0) }));
}

export async function serviceMinuteTotals(db: Prisma, fromMinute: number, toMinute: number): Promise<MinuteTotalsRow[]> {
  const rows = await db.rollup.groupBy({
    by: ["service", "minute", "entry"], where: inWindow(fromMinute, toMinute), _sum: { count: true, errors: true },
  });
  return rows.map((r) => ({ service: r.service, minute: r.minute, entry: r.entry, count: Number(r._sum.count ?? 0), errors: Number(r._sum.errors ?? 0) }));
}

export async function serviceMinuteBuckets(db: Prisma, fromMinute: number, toMinute: number): Promise<MinuteBucketRow[]> {
  const rows = await db.rollupBucket.groupBy({
    by: ["service", "minute", "entry", "bucket"], where: inWindow(fromMinute, toMinute), _sum: { count: true },
  });
  return rows.map((r) => ({ service: r.service, minute: r.minute, entry: r.entry, bucket: r.bucket, count: Number(r._sum.count ?? 0) }));
}

/** True when the database answers a trivial query. */
export async function storeReachable(db: Prisma): Promise<boolean> {
  try {
    await db.$queryRawUnsafe("SELECT 1");
    return true;
  } catch {
    return false;
  }
}
