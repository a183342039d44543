import { randomUUID } from "node:crypto";
import type { AlertRule, SliKind, SloDefinition } from "../analysis/slo-types";
import type { Prisma } from "./prisma";

type SloRow = Awaited<ReturnType<Prisma["slo"]["findFirstOrThrow"]>>;
export type NewSlo = Omit<SloDefinition, "id">;

function fromRow(r: SloRow): SloDefinition {
  return {
    id: r.id, name: r.name, service: r.service, ...(r.operation === null ? {} : { operation: r.operation }),
    sli: r.sli as SliKind, ...(r.thresholdMs === null ? {} : { thresholdMs: r.thresholdMs }),
    target: r.target, windowDays: r.windowDays, rules: JSON.parse(r.rules) as AlertRule[], minEvents: r.minEvents,
  };
}

function toColumns(s: NewSlo) {
  return {
    name: s.name, service: s.service, operation: s.operation ?? null, sli: s.sli,
    thresholdMs: s.sli === "latency" ? (s.thresholdMs ?? null) : null,
    target: s.target, windowDays: s.windowDays, rules: JSON.stringify(s.rules), minEvents: s.minEvents,
  };
}

export async function listSlos(db: Prisma): Promise<SloDefinition[]> {
  return (await db.slo.findMany({ orderBy: { name: "asc" } })).map(fromRow);
}

export async function getSlo(db: Prisma, id: string): Promise<SloDefinition | undefined> {
  const row = await db.slo.findUnique({ where: { id } });
  return row ? fromRow(row) : undefined;
}

/** Names of the other SLOs, for the uniqueness rule. */
export async function sloNamesExcept(db: Prisma, id?: string): Promise<string[]> {
  return (await db.slo.findMany({ where: id ? { id: { not: id } } : {}, select: { name: true } })).map((r) => r.name);
}

export async function createSlo(db: Prisma, s: NewSlo, now = Date.now()): Promise<SloDefinition> {
  return fromRow(await db.slo.create({ data: { id: randomUUID(), ...toColumns(s), createdMs: now, updatedMs: now } }));
}

/** Undefined when there is no such SLO. */
export async function updateSlo(db: Prisma, id: string, s: NewSlo, now = Date.now()): Promise<SloDefinition | undefined> {
  const { count } = await db.slo.updateMany({ where: { id }, data: { ...toColumns(s), updatedMs: now } });
  return count === 0 ? undefined : getSlo(db, id);
}

/**
 * Deletes the SLO and resolves its open alerts without notifying: there is nothing left to watch.
 * The alert history stays, with the SLO's name copied into it.
 */
export async function deleteSlo(db: Prisma, id: string, now = Date.now()): Promise<boolean> {
  const [, { count }] = await db.$transaction([
    db.alert.updateMany({ where: { sloId: id, state: { in: ["pending", "firing"] } }, data: { state: "resolved", resolvedMs: now } }),
    db.slo.deleteMany({ where: { id } }),
  ]);
  return count > 0;
}
