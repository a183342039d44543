/**
 * Delivers one alert body to a Slack or generic webhook and says whether it arrived and whether
 * trying again could help. Server only (node:crypto).
 */

import { createHmac, timingSafeEqual } from "node:crypto";

export interface SendOptions {
  /** Signs the body (generic webhooks); see signBody. */
  secret?: string;
  timeoutMs?: number;
  /** The clock, for the signature timestamp and for Retry-After dates. */
  nowMs?: number;
}

export interface SendOutcome {
  delivered: boolean;
  /** True when the failure may be temporary: 408, 429, 5xx, network errors and timeouts. */
  retry: boolean;
  statusCode?: number;
  retryAfterMs?: number;
  error?: string;
  durationMs: number;
}

export const TIMESTAMP_HEADER = "X-Pinchpoint-Timestamp";
export const SIGNATURE_HEADER = "X-Pinchpoint-Signature";

const DEFAULT_TIMEOUT_MS = 10_000;
const ERROR_BODY_MAX = 200;

/** Hex HMAC-SHA256 of "<timestamp>.<body>"; the timestamp is signed too so that a captured request can't be replayed later. */
export function signBody(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

/**
 * Checks an X-Pinchpoint-Signature header ("v1=<hex>") against the body and the
 * X-Pinchpoint-Timestamp header, rejecting timestamps more than `toleranceSeconds` from now.
 */
export function verifySignature(
  secret: string,
  timestamp: number | string,
  body: string,
  header: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const seconds = Number(timestamp);
  if (!Number.isInteger(seconds) || Math.abs(nowSeconds - seconds) > toleranceSeconds) return false;
  const match = /^v1=([0-9a-f]+)$/i.exec(header.trim());
  if (!match) return false;
  const given = Buffer.from(match[1], "hex");
  const expected = Buffer.from(signBody(secret, seconds, body), "hex");
  // Constant-time comparison, so that response timing doesn't reveal how much of a guess was right.
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110, 10.2.3). */
export function parseRetryAfterMs(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const dateMs = Date.parse(trimmed);
  return Number.isNaN(dateMs) ? undefined : Math.max(0, dateMs - nowMs);
}

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Names the real cause: fetch reports "fetch failed" and hides ECONNREFUSED & co. in `cause`. */
function networkErrorText(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === "TimeoutError") return `timed out after ${timeoutMs} ms`;
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}

async function responseSnippet(response: Response): Promise<string> {
  const text = await response.text().catch(() => "");
  return text.length > ERROR_BODY_MAX ? `${text.slice(0, ERROR_BODY_MAX)}…` : text;
}

function isHttpUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}

/** POSTs a JSON body. Never throws: every failure becomes an outcome. */
export async function postAlert(url: string, body: string, opts: SendOptions = {}): Promise<SendOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  // A malformed URL won't get better by retrying.
  if (!isHttpUrl(url)) return { delivered: false, retry: false, error: "invalid URL: expected http(s)://…", durationMs: elapsed() };

  const nowMs = opts.nowMs ?? Date.now();
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (opts.secret) {
    const timestamp = Math.floor(nowMs / 1000);
    headers[TIMESTAMP_HEADER] = String(timestamp);
    headers[SIGNATURE_HEADER] = `v1=${signBody(opts.secret, timestamp, body)}`;
  }

  try {
    const response = await fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(timeoutMs) });
    const statusCode = response.status;
    if (response.ok) {
      await response.body?.cancel(); // frees the connection; the content doesn't matter
      return { delivered: true, retry: false, statusCode, durationMs: elapsed() };
    }
    const snippet = await responseSnippet(response);
    const error = `HTTP ${statusCode}${snippet ? `: ${snippet}` : ""}`;
    if (!isRetryableStatus(statusCode)) return { delivered: false, retry: false, statusCode, error, durationMs: elapsed() };
    const retryAfterMs = parseRetryAfterMs(response.headers.get("retry-after"), nowMs);
    return { delivered: false, retry: true, statusCode, error, durationMs: elapsed(), ...(retryAfterMs !== undefined && { retryAfterMs }) };
  } catch (error) {
    return { delivered: false, retry: true, error: networkErrorText(error, timeoutMs), durationMs: elapsed() };
  }
}
