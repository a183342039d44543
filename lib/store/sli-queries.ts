import type { SliMinute } from "../analysis/slo-types";
import { Prisma as P } from "./generated/sqlite/client";
import type { Prisma } from "./prisma";

/** Which rollup rows an SLO counts: one operation of a service, or all its entry operations. */
export interface SliScope {
  service: string;
  operation?: string;
  /** Latency SLIs: spans in histogram buckets up to this index are good; availability otherwise. */
  goodBucketLimit?: number;
}

/**
 * Good and total events per step of `stepMinutes` (1, 60 or 1440) over minutes [fromMinute, toMinute],
 * summed in the database; each point's `minute` is the first minute of its step. Steps without
 * traffic are absent. Availability: good = spans without error status. Latency: good = spans in the
 * histogram buckets at or below the threshold's bucket.
 */
export async function sliSeries(db: Prisma, scope: SliScope, fromMinute: number, toMinute: number, stepMinutes: number): Promise<SliMinute[]> {
  const which = scope.operation === undefined ? P.sql`entry = 1` : P.sql`operation = ${scope.operation}`;
  const where = P.sql`service = ${scope.service} AND ${which} AND minute >= ${fromMinute} AND minute <= ${toMinute}`;
  // Integer division on an integer column truncates in both SQLite and PostgreSQL; minutes are positive.
  const step = P.sql`(minute / ${stepMinutes}) * ${stepMinutes}`;
  const totals = await db.$queryRaw<{ step: unknown; total: unknown; errors: unknown }[]>(
    P.sql`SELECT ${step} AS step, SUM(count) AS total, SUM(errors) AS errors FROM rollups WHERE ${where} GROUP BY 1`);
  const fast = scope.goodBucketLimit === undefined ? undefined : new Map((await db.$queryRaw<{ step: unknown; good: unknown }[]>(
    P.sql`SELECT ${step} AS step, SUM(count) AS good FROM rollup_buckets WHERE ${where} AND bucket <= ${scope.goodBucketLimit} GROUP BY 1`,
  )).map((r) => [Number(r.step), Number(r.good)]));
  return totals
    .map((r) => {
      const minute = Number(r.step);
      const total = Number(r.total);
      return { minute, total, good: fast ? (fast.get(minute) ?? 0) : total - Number(r.errors) };
    })
    .sort((a, b) => a.minute - b.minute);
}

export interface ServiceOperations { name: string; operations: { name: string; entry: boolean }[] }

/** The services and operations seen since `fromMinute`, for the SLO form's choices. */
export async function seenOperations(db: Prisma, fromMinute: number): Promise<ServiceOperations[]> {
  const rows = await db.rollup.groupBy({ by: ["service", "operation", "entry"], where: { minute: { gte: fromMinute } } });
  const services = new Map<string, Map<string, boolean>>();
  for (const r of rows) {
    const ops = services.get(r.service) ?? new Map<string, boolean>();
    ops.set(r.operation, (ops.get(r.operation) ?? false) || r.entry === 1);
    services.set(r.service, ops);
  }
  return [...services].sort(([a], [b]) => a.localeCompare(b)).map(([name, ops]) => ({
    name,
    operations: [...ops].map(([op, entry]) => ({ name: op, entry }))
      .sort((a, b) => Number(b.entry) - Number(a.entry) || a.name.localeCompare(b.name)),
  }));
}
