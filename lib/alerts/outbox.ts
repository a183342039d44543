import { dueDeliveries, recordAttempt, type DueDelivery } from "../store/alert-store";
import type { Prisma } from "../store/prisma";
import { nextAttemptDelayMs } from "./backoff";
import { postAlert, type SendOutcome } from "./send";

/** A message undelivered after this long is marked failed: a day-old page helps nobody. */
export const GIVE_UP_AFTER_MS = 24 * 3_600_000;
const BATCH = 20;

type Send = (delivery: DueDelivery) => Promise<SendOutcome>;
const sendOverHttp: Send = (d) => postAlert(d.channel.url, d.body, d.channel.secret ? { secret: d.channel.secret } : {});

/**
 * Sends the messages that are due, in parallel so that one slow channel does not hold up the
 * others, and records every attempt. Failures that may be temporary are retried with backoff
 * (honouring Retry-After); others fail for good with the receiver's answer kept as the error.
 */
export async function deliverDue(db: Prisma, nowMs: number, send: Send = sendOverHttp): Promise<number> {
  const due = await dueDeliveries(db, nowMs, BATCH);
  await Promise.all(due.map(async (d) => {
    const outcome = await send(d);
    const attempt = { atMs: nowMs, durationMs: outcome.durationMs,
      ...(outcome.statusCode === undefined ? {} : { statusCode: outcome.statusCode }), ...(outcome.error ? { error: outcome.error } : {}) };
    if (outcome.delivered) return recordAttempt(db, d, attempt, { status: "delivered" });
    const nextAttemptMs = nowMs + nextAttemptDelayMs(d.attempts + 1, outcome.retryAfterMs);
    const expired = nextAttemptMs - d.createdMs > GIVE_UP_AFTER_MS;
    if (!outcome.retry || expired) {
      return recordAttempt(db, d, { ...attempt, error: expired ? `gave up after 24 h: ${outcome.error ?? "not delivered"}` : outcome.error }, { status: "failed" });
    }
    return recordAttempt(db, d, attempt, { status: "pending", nextAttemptMs });
  }));
  return due.length;
}
