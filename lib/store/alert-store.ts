import { randomUUID } from "node:crypto";
import type { AlertRuleState, Severity } from "../analysis/slo-types";
import type { Prisma } from "./prisma";

/** An open (pending or firing) alert of one SLO rule, as the evaluator sees it. */
export interface OpenAlert { id: string; rule: string; state: AlertRuleState }

export async function openAlerts(db: Prisma, sloId: string): Promise<OpenAlert[]> {
  const rows = await db.alert.findMany({ where: { sloId, state: { in: ["pending", "firing"] } } });
  return rows.map((r) => ({
    id: r.id, rule: r.rule,
    state: r.state === "firing"
      ? { phase: "firing", pendingSinceMs: r.pendingSinceMs, firingSinceMs: r.startedMs ?? r.pendingSinceMs }
      : { phase: "pending", pendingSinceMs: r.pendingSinceMs },
  }));
}

export interface AlertSubject { sloId: string; sloName: string; service: string; rule: string; severity: Severity }

/** A message to queue for every channel; `bodyFor` renders it in the channel's format. */
export interface Notification { event: "firing" | "resolved"; bodyFor(kind: string): string }

/**
 * Writes one rule's new state. A notification goes into the outbox in the same transaction as the
 * state change, so a crash cannot record a firing alert without its messages or the reverse.
 * A pending alert that clears without firing leaves no trace in the history.
 */
export async function saveAlertState(db: Prisma, subject: AlertSubject, previous: OpenAlert | undefined, next: AlertRuleState,
  evaluation: unknown, notification: Notification | undefined, now: number): Promise<void> {
  const lastEvaluation = JSON.stringify(evaluation);
  if (next.phase === "inactive") {
    if (!previous) return;
    if (previous.state.phase === "pending") { await db.alert.deleteMany({ where: { id: previous.id } }); return; }
  }
  const id = previous?.id ?? randomUUID();
  const state = next.phase === "inactive" ? "resolved" : next.phase;
  const fields = {
    state, lastEvaluation, startedMs: next.firingSinceMs ?? previous?.state.firingSinceMs ?? null,
    resolvedMs: next.phase === "inactive" ? now : null,
  };
  const write = previous
    ? db.alert.update({ where: { id }, data: fields })
    : db.alert.create({ data: { id, ...subject, pendingSinceMs: next.pendingSinceMs ?? now, ...fields } });
  if (!notification) { await write; return; }
  const channels = await db.alertChannel.findMany();
  await db.$transaction([write, ...channels.map((c) => db.alertDelivery.create({ data: {
    id: randomUUID(), alertId: id, channelId: c.id, event: notification.event, body: notification.bodyFor(c.kind),
    status: "pending", nextAttemptMs: now, createdMs: now,
  } }))]);
}

export interface AlertHistoryEntry {
  id: string; sloId: string; sloName: string; service: string; rule: string; severity: string;
  state: string; pendingSince: number; startedAt?: number; resolvedAt?: number; lastEvaluation: unknown;
  deliveries: { channelId: string; channelName: string; event: string; attempts: number; status: string; lastError?: string; nextAttemptAt?: number; deliveredAt?: number }[];
}

/** The most recent alerts first, each with its deliveries. */
export async function alertHistory(db: Prisma, opts: { sloId?: string; limit: number }): Promise<AlertHistoryEntry[]> {
  const alerts = await db.alert.findMany({ where: opts.sloId ? { sloId: opts.sloId } : {}, orderBy: { pendingSinceMs: "desc" }, take: opts.limit });
  const deliveries = await db.alertDelivery.findMany({ where: { alertId: { in: alerts.map((a) => a.id) } }, orderBy: { createdMs: "asc" } });
  const channelNames = new Map((await db.alertChannel.findMany({ select: { id: true, name: true } })).map((c) => [c.id, c.name]));
  return alerts.map((a) => ({
    id: a.id, sloId: a.sloId, sloName: a.sloName, service: a.service, rule: a.rule, severity: a.severity, state: a.state,
    pendingSince: a.pendingSinceMs, ...(a.startedMs === null ? {} : { startedAt: a.startedMs }), ...(a.resolvedMs === null ? {} : { resolvedAt: a.resolvedMs }),
    lastEvaluation: JSON.parse(a.lastEvaluation),
    deliveries: deliveries.filter((d) => d.alertId === a.id).map((d) => ({
      channelId: d.channelId, channelName: channelNames.get(d.channelId) ?? "(deleted channel)", event: d.event, attempts: d.attempts, status: d.status,
      ...(d.lastError === null ? {} : { lastError: d.lastError }),
      ...(d.status === "pending" ? { nextAttemptAt: d.nextAttemptMs } : {}),
      ...(d.deliveredMs === null ? {} : { deliveredAt: d.deliveredMs }),
    })),
  }));
}

export interface DueDelivery { id: string; body: string; attempts: number; createdMs: number; channel: { url: string; secret?: string } }

/** Pending messages whose next attempt is due, oldest first. */
export async function dueDeliveries(db: Prisma, now: number, limit: number): Promise<DueDelivery[]> {
  const rows = await db.alertDelivery.findMany({ where: { status: "pending", nextAttemptMs: { lte: now } }, orderBy: { createdMs: "asc" }, take: limit });
  const channels = new Map((await db.alertChannel.findMany({ where: { id: { in: rows.map((r) => r.channelId) } } })).map((c) => [c.id, c]));
  return rows.flatMap((r) => {
    const c = channels.get(r.channelId);
    return c ? [{ id: r.id, body: r.body, attempts: r.attempts, createdMs: r.createdMs, channel: { url: c.url, ...(c.secret ? { secret: c.secret } : {}) } }] : [];
  });
}

export interface AttemptRecord { atMs: number; statusCode?: number; error?: string; durationMs: number }

/** Records an attempt and the delivery's new status: delivered, failed for good, or pending until `nextAttemptMs`. */
export async function recordAttempt(db: Prisma, delivery: DueDelivery, attempt: AttemptRecord,
  outcome: { status: "delivered" | "failed" | "pending"; nextAttemptMs?: number }): Promise<void> {
  await db.$transaction([
    db.deliveryAttempt.create({ data: { deliveryId: delivery.id, atMs: attempt.atMs, statusCode: attempt.statusCode ?? null, error: attempt.error ?? null, durationMs: attempt.durationMs } }),
    db.alertDelivery.update({ where: { id: delivery.id }, data: {
      attempts: delivery.attempts + 1, status: outcome.status, lastError: attempt.error ?? null,
      ...(outcome.nextAttemptMs === undefined ? {} : { nextAttemptMs: outcome.nextAttemptMs }),
      ...(outcome.status === "delivered" ? { deliveredMs: attempt.atMs } : {}),
    } }),
  ]);
}
