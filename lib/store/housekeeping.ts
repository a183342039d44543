import { randomUUID } from "node:crypto";
import { minuteOf } from "./span-keys";
import type { Sql } from "./sql";

/**
 * Claims `job` for `holder` until now + ttl, unless another holder's claim is still live.
 * One replica runs each periodic job at a time; a crashed holder's claim simply expires.
 */
export async function takeLease(sql: Sql, job: string, holder: string, ttlMs: number, now = Date.now()): Promise<boolean> {
  // A claim with more than half its time left is still ours: renewing it every tick would be a
  // write every second, and on SQLite a write can wait for the ingest transaction to finish.
  const held = heldLeases.get(sql)?.get(`${job}\u0000${holder}`);
  if (held !== undefined && now < held - ttlMs / 2) return true;
  const changed = await sql.run(
    `INSERT INTO job_leases (job, holder, expires_ms) VALUES (?, ?, ?)
     ON CONFLICT (job) DO UPDATE SET holder = excluded.holder, expires_ms = excluded.expires_ms
     WHERE job_leases.expires_ms < ? OR job_leases.holder = excluded.holder`,
    [job, holder, now + ttlMs, now]);
  const mine = heldLeases.get(sql) ?? new Map<string, number>();
  heldLeases.set(sql, mine);
  if (changed === 1) mine.set(`${job}\u0000${holder}`, now + ttlMs);
  else mine.delete(`${job}\u0000${holder}`);
  return changed === 1;
}

/** Per connection, the leases this process holds and until when (job + holder → expiry). */
const heldLeases = new WeakMap<Sql, Map<string, number>>();

/**
 * A periodic job: runs `run` now and every `everyMs` in whichever replica holds the job's lease
 * (for `leaseMs`), never twice at once. Returns a function that stops it. The timer is not
 * unref'd: in a SQLite worker thread it is what keeps the thread alive.
 */
export function startLeasedJob(sql: Sql, job: string, timing: { everyMs: number; leaseMs: number }, run: () => Promise<unknown>): () => void {
  const holder = randomUUID();
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    (async () => { if (await takeLease(sql, job, holder, timing.leaseMs)) await run(); })()
      .catch((err) => console.error(`${job}: ${(err as Error).message}`))
      .finally(() => (running = false));
  };
  tick();
  const timer = setInterval(tick, timing.everyMs);
  return () => clearInterval(timer);
}

/**
 * Raw samples and scrape blocks before `minute`: the samples removed. Shapes stay, like the series
 * they list: a target scraped again later goes on writing blocks of its shape.
 */
async function deleteSamplesBefore(sql: Sql, minute: number): Promise<number> {
  const [{ n }] = await sql.query<{ n: number | string | null }>(`SELECT SUM(count) AS n FROM metric_blocks WHERE minute < ?`, [minute]);
  await sql.run(`DELETE FROM metric_blocks WHERE minute < ?`, [minute]);
  return (await sql.run(`DELETE FROM metric_samples WHERE minute < ?`, [minute])) + Number(n ?? 0);
}

export interface RetentionResult { spans: number; rollups: number; buckets: number; traces: number; samples: number; metricRollups: number }

/**
 * Deletes raw spans and samples older than their retention and rollups older than theirs, by whole minutes:
 * the minute leads the span index, so this is a range delete at the start of it.
 */
export async function applyRetention(sql: Sql, spanRetentionMs: number, rollupRetentionMs: number, sampleRetentionMs: number, now = Date.now()): Promise<RetentionResult> {
  const oldestMinute = minuteOf(now - rollupRetentionMs);
  return {
    spans: await sql.run(`DELETE FROM spans WHERE minute < ?`, [minuteOf(now - spanRetentionMs)]),
    rollups: await sql.run(`DELETE FROM rollups WHERE minute < ?`, [oldestMinute]),
    buckets: await sql.run(`DELETE FROM rollup_buckets WHERE minute < ?`, [oldestMinute]),
    // Done traces are remembered as long as their spans, so that a late span cannot count one twice.
    traces: await sql.run(`DELETE FROM pending_traces WHERE last_received_ms < ?`, [now - spanRetentionMs]),
    samples: await deleteSamplesBefore(sql, minuteOf(now - sampleRetentionMs)),
    metricRollups: await sql.run(`DELETE FROM metric_rollups WHERE minute < ?`, [oldestMinute]),
  };
}
