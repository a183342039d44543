import { startLeasedJob } from "./housekeeping";
import { minuteOf } from "./span-keys";
import type { Sql } from "./sql";

const COLUMNS = "minute, series_key, count, sum, min, max, first, first_ts, last, last_ts";

/**
 * Builds (or rebuilds) the minute rollups of every minute that received samples and is over.
 * Each minute is summed in the database from its raw samples; a minute that gets a late sample
 * is marked again and rebuilt whole, so rollups never count a sample twice.
 */
export async function rollUpMetricMinutes(sql: Sql, nowMs: number): Promise<number> {
  const dirty = await sql.query<{ minute: number; touched_ms: number }>(
    `SELECT minute, touched_ms FROM metric_dirty_minutes WHERE minute < ? ORDER BY minute`, [minuteOf(nowMs)]);
  for (const { minute, touched_ms } of dirty) {
    await sql.transaction(async (tx) => {
      // WHERE true: SQLite needs it to tell the upsert's ON CONFLICT from a join's ON.
      await tx.run(`INSERT INTO metric_rollups (${COLUMNS})
        SELECT a.minute, a.series_key, a.n, a.s, a.lo, a.hi, f.value, a.first_ts, l.value, a.last_ts
        FROM (SELECT minute, series_key, COUNT(*) AS n, SUM(value) AS s, MIN(value) AS lo, MAX(value) AS hi, MIN(ts) AS first_ts, MAX(ts) AS last_ts
              FROM metric_samples WHERE minute = ? GROUP BY minute, series_key) a
        JOIN metric_samples f ON f.minute = a.minute AND f.series_key = a.series_key AND f.ts = a.first_ts
        JOIN metric_samples l ON l.minute = a.minute AND l.series_key = a.series_key AND l.ts = a.last_ts
        WHERE true
        ON CONFLICT (minute, series_key) DO UPDATE SET count = excluded.count, sum = excluded.sum, min = excluded.min, max = excluded.max,
          first = excluded.first, first_ts = excluded.first_ts, last = excluded.last, last_ts = excluded.last_ts`, [minute]);
      // A sample that arrived while this ran marked the minute again: leave the mark for the next pass.
      await tx.run(`DELETE FROM metric_dirty_minutes WHERE minute = ? AND touched_ms <= ?`, [minute, touched_ms]);
    });
  }
  return dirty.length;
}

/**
 * Rolls up finished minutes every `everyMs` in whichever replica holds the lease. On SQLite it runs
 * on the completion thread: a busy minute's rollup is a large statement that would otherwise stop
 * the collector's main thread (and every request on it) while it runs.
 */
export function startMetricRollups(sql: Sql, everyMs = 10_000): () => void {
  return startLeasedJob(sql, "metric-rollups", { everyMs, leaseMs: everyMs * 2 }, () => rollUpMetricMinutes(sql, Date.now()));
}
