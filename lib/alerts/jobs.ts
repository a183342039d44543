import { startLeasedJob } from "../store/housekeeping";
import { prisma } from "../store/prisma";
import type { Sql } from "../store/sql";
import { evaluateAlerts } from "./evaluate";
import { deliverDue } from "./outbox";

const DELIVERY_EVERY_MS = 1000;
/** A replica that stops renewing its delivery lease hands the outbox over after this long. */
const DELIVERY_LEASE_MS = 10_000;

export interface AlertingOptions { evaluationEveryMs: number; publicUrl: string }

/**
 * The collector's alerting jobs: burn-rate evaluation every `evaluationEveryMs` and the outbox
 * every second, each in one replica at a time (a lease row), neither overlapping itself.
 * Returns a function that stops both.
 */
export function startAlerting(sql: Sql, opts: AlertingOptions): () => void {
  const evaluation = startLeasedJob(sql, "alert-evaluation", { everyMs: opts.evaluationEveryMs, leaseMs: opts.evaluationEveryMs * 2 },
    () => evaluateAlerts(prisma(), Date.now(), opts.publicUrl));
  const delivery = startLeasedJob(sql, "alert-delivery", { everyMs: DELIVERY_EVERY_MS, leaseMs: DELIVERY_LEASE_MS }, () => deliverDue(prisma(), Date.now()));
  return () => { evaluation(); delivery(); };
}
