import { takeLease } from "../store/housekeeping";
import { prisma } from "../store/prisma";
import type { Sql } from "../store/sql";
import { evaluateAlerts } from "./evaluate";
import { deliverDue } from "./outbox";

const DELIVERY_EVERY_MS = 1000;
/** A replica that stops renewing its delivery lease hands the outbox over after this long. */
const DELIVERY_LEASE_MS = 10_000;

export interface AlertingOptions { evaluationEveryMs: number; publicUrl: string; holder: string }

/**
 * The collector's alerting jobs: burn-rate evaluation every `evaluationEveryMs` and the outbox
 * every second, each in one replica at a time (a lease row), neither overlapping itself.
 * Returns a function that stops both.
 */
export function startAlerting(sql: Sql, opts: AlertingOptions): () => void {
  const evaluation = every(opts.evaluationEveryMs, "alert evaluation", async () => {
    if (await takeLease(sql, "alert-evaluation", opts.holder, opts.evaluationEveryMs * 2)) {
      await evaluateAlerts(prisma(), Date.now(), opts.publicUrl);
    }
  });
  const delivery = every(DELIVERY_EVERY_MS, "alert delivery", async () => {
    if (await takeLease(sql, "alert-delivery", opts.holder, DELIVERY_LEASE_MS)) await deliverDue(prisma(), Date.now());
  });
  return () => { evaluation(); delivery(); };
}

/** Runs `job` now and then every `ms`, skipping a tick while the previous run is still going. */
function every(ms: number, name: string, job: () => Promise<void>): () => void {
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    job().catch((err) => console.error(`${name}: ${(err as Error).message}`)).finally(() => { running = false; });
  };
  tick();
  const timer = setInterval(tick, ms);
  return () => clearInterval(timer);
}
