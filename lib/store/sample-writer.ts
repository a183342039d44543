import type Database from "better-sqlite3";
import type { SampleBatch } from "../ingest/sample-batch";
import { inStoreOrder } from "./sample-order";
import { minuteOf } from "./span-keys";
import type { PostgresSql, SqliteSql } from "./sql";

/**
 * The metrics hot path: new series, raw samples and the minutes to roll up again, in one
 * transaction through the driver. A sample sent twice (a remote_write retry) is stored once.
 */
export interface SampleWriter { write(batches: SampleBatch[], nowMs: number): Promise<number> }

const SERIES_COLUMNS = "key, name, labels, job, instance, type, first_seen_ms";
/** Rows per INSERT statement: fewer calls into SQLite (4,000 parameters, within its 32,766 limit); measured best at 1,000. */
const ROWS_PER_STATEMENT = 1000;

/** Minutes the samples touch (usually one or two), ascending: they are in store order. */
function minutesOf(ts: Float64Array): number[] {
  const minutes: number[] = [];
  for (let i = 0; i < ts.length; i++) {
    const m = minuteOf(ts[i]);
    if (m !== minutes[minutes.length - 1]) minutes.push(m);
  }
  return minutes;
}

/** NaN cannot be stored in SQLite (it becomes NULL anyway): null says so explicitly on both stores. */
const stored = (v: number) => (Number.isNaN(v) ? null : v);

export function sqliteSampleWriter(sql: SqliteSql): SampleWriter {
  const { db } = sql;
  const insertSeries = db.prepare(`INSERT INTO metric_series (${SERIES_COLUMNS}) VALUES (?,?,?,?,?,?,?) ON CONFLICT DO NOTHING`);
  const insertMany = insertSamples(db, ROWS_PER_STATEMENT);
  const insertOne = insertSamples(db, 1);
  const touch = db.prepare(`INSERT INTO metric_dirty_minutes (minute, touched_ms) VALUES (?, ?) ON CONFLICT (minute) DO UPDATE SET touched_ms = excluded.touched_ms`);
  const params = new Array<unknown>(ROWS_PER_STATEMENT * 4);
  const writeAll = db.transaction((batches: SampleBatch[], nowMs: number) => {
    let inserted = 0;
    for (const b of batches) for (const s of b.series) insertSeries.run(s.key, s.name, s.labels, s.job, s.instance, s.type, nowMs);
    const { keys, ts, values } = inStoreOrder(batches);
    const n = keys.length;
    let i = 0;
    for (; i + ROWS_PER_STATEMENT <= n; i += ROWS_PER_STATEMENT) {
      for (let j = 0; j < ROWS_PER_STATEMENT; j++) {
        const t = ts[i + j];
        params[j * 4] = minuteOf(t);
        params[j * 4 + 1] = keys[i + j];
        params[j * 4 + 2] = t;
        params[j * 4 + 3] = stored(values[i + j]);
      }
      inserted += insertMany.run(params).changes;
    }
    for (; i < n; i++) inserted += insertOne.run(minuteOf(ts[i]), keys[i], ts[i], stored(values[i])).changes;
    for (const m of minutesOf(ts)) touch.run(m, nowMs);
    return inserted;
  });
  return { write: async (batches, nowMs) => writeAll.immediate(batches, nowMs) };
}

function insertSamples(db: Database.Database, rows: number): Database.Statement {
  return db.prepare(`INSERT INTO metric_samples (minute, series_key, ts, value) VALUES ${Array(rows).fill("(?,?,?,?)").join(",")} ON CONFLICT DO NOTHING`);
}

/** PostgreSQL: each table in one statement, rows passed as arrays and expanded with unnest. */
export function postgresSampleWriter(sql: PostgresSql): SampleWriter {
  return {
    write: (batches, nowMs) => sql.transaction(async (tx) => {
      const series = batches.flatMap((b) => b.series).sort((a, b) => a.key - b.key);
      if (series.length > 0) {
        await tx.query(`INSERT INTO metric_series (${SERIES_COLUMNS}) SELECT t.*, ?::double precision
          FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) AS t ON CONFLICT DO NOTHING`,
        [nowMs, series.map((s) => s.key), series.map((s) => s.name), series.map((s) => s.labels), series.map((s) => s.job), series.map((s) => s.instance), series.map((s) => s.type)]);
      }
      const { keys, ts, values } = inStoreOrder(batches);
      const inserted = await tx.run(`INSERT INTO metric_samples (minute, series_key, ts, value)
        SELECT floor(t.ts / 60000)::int, t.k, t.ts, t.v FROM unnest(?::bigint[], ?::double precision[], ?::double precision[]) AS t(k, ts, v)
        ON CONFLICT DO NOTHING`, [Array.from(keys), Array.from(ts), Array.from(values, stored)]);
      await tx.query(`INSERT INTO metric_dirty_minutes (minute, touched_ms) SELECT m, ?::double precision FROM unnest(?::int[]) AS m
        ON CONFLICT (minute) DO UPDATE SET touched_ms = excluded.touched_ms`, [nowMs, minutesOf(ts)]);
      return inserted;
    }),
  };
}
