/** When to try a failed alert delivery again. */

const FIRST_DELAY_MS = 1000;
const MAX_BACKOFF_MS = 5 * 60_000;
const MAX_RETRY_AFTER_MS = 60 * 60_000;

/**
 * The delay before the next attempt, after `attempts` failed ones: 1 s, 2 s, 4 s, … capped at
 * 5 min. A receiver's Retry-After wins when it asks for longer (up to 1 h, so that a bogus value
 * can't park an alert for days).
 *
 * No jitter: jitter spreads out thousands of clients retrying one server, but here one Pinchpoint
 * sends a handful of alerts to a few channels, so determinism (testable, predictable) is worth more.
 */
export function nextAttemptDelayMs(attempts: number, retryAfterMs?: number): number {
  const backoffMs = Math.min(FIRST_DELAY_MS * 2 ** (Math.max(1, attempts) - 1), MAX_BACKOFF_MS);
  if (retryAfterMs === undefined || Number.isNaN(retryAfterMs) || retryAfterMs <= backoffMs) return backoffMs;
  return Math.min(retryAfterMs, MAX_RETRY_AFTER_MS);
}
