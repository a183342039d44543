import type Database from "better-sqlite3";
import { type MetricWrite, type SampleBatch, type SampleBlock, isBlock } from "../ingest/sample-batch";
import { blockBytes } from "./sample-blocks";
import { inStoreOrder } from "./sample-order";
import { minuteOf } from "./span-keys";
import type { PostgresSql, SqlExecutor, SqliteSql } from "./sql";

/**
 * The metrics hot path: new series, raw samples, scrape blocks (with their shapes the first time)
 * and the minutes to roll up again, in one transaction through the driver. A sample sent twice (a
 * remote_write retry) is stored once.
 */
export interface SampleWriter { write(writes: MetricWrite[], nowMs: number): Promise<number> }

const SERIES_COLUMNS = "key, name, labels, job, instance, type, first_seen_ms";
/** Rows per INSERT statement: fewer calls into SQLite (4,000 parameters, within its 32,766 limit); measured best at 1,000. */
const ROWS_PER_STATEMENT = 1000;

/** Minutes the samples and blocks touch (usually one or two), ascending. */
function minutesOf(ts: Float64Array, blocks: SampleBlock[]): number[] {
  const minutes = new Set<number>();
  let last = NaN;
  for (let i = 0; i < ts.length; i++) {
    const m = minuteOf(ts[i]);
    if (m !== last) minutes.add((last = m));
  }
  for (const b of blocks) minutes.add(minuteOf(b.ts));
  return [...minutes].sort((a, b) => a - b);
}

/** Rows and blocks apart: they go to different tables. */
function split(writes: MetricWrite[]): { batches: SampleBatch[]; blocks: SampleBlock[] } {
  const batches: SampleBatch[] = [];
  const blocks: SampleBlock[] = [];
  for (const w of writes) {
    if (isBlock(w)) blocks.push(w);
    else batches.push(w);
  }
  return { batches, blocks };
}

/** NaN cannot be stored in SQLite (it becomes NULL anyway): null says so explicitly on both stores. */
const stored = (v: number) => (Number.isNaN(v) ? null : v);

export function sqliteSampleWriter(sql: SqliteSql): SampleWriter {
  const { db } = sql;
  const insertSeries = db.prepare(`INSERT INTO metric_series (${SERIES_COLUMNS}) VALUES (?,?,?,?,?,?,?) ON CONFLICT DO NOTHING`);
  const insertMany = insertSamples(db, ROWS_PER_STATEMENT);
  const insertOne = insertSamples(db, 1);
  const touch = db.prepare(`INSERT INTO metric_dirty_minutes (minute, touched_ms) VALUES (?, ?) ON CONFLICT (minute) DO UPDATE SET touched_ms = excluded.touched_ms`);
  const insertShape = db.prepare(`INSERT INTO metric_shapes (id, series_keys, first_seen_ms) VALUES (?,?,?) ON CONFLICT DO NOTHING`);
  const insertShapeSeries = db.prepare(`INSERT INTO metric_shape_series (series_key, shape_id, position) VALUES (?,?,?) ON CONFLICT DO NOTHING`);
  const insertBlock = db.prepare(`INSERT INTO metric_blocks (shape_id, ts, minute, count, sample_values) VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING`);
  const params = new Array<unknown>(ROWS_PER_STATEMENT * 4);
  const writeAll = db.transaction((writes: MetricWrite[], nowMs: number) => {
    const { batches, blocks } = split(writes);
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
    for (const b of blocks) {
      if (b.keys && insertShape.run(b.shape, blockBytes(b.keys), nowMs).changes > 0) {
        for (let p = 0; p < b.keys.length; p++) insertShapeSeries.run(b.keys[p], b.shape, p);
      }
      if (insertBlock.run(b.shape, b.ts, minuteOf(b.ts), b.values.length, blockBytes(b.values)).changes > 0) inserted += b.values.length;
    }
    for (const m of minutesOf(ts, blocks)) touch.run(m, nowMs);
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
    write: (writes, nowMs) => sql.transaction(async (tx) => {
      const { batches, blocks } = split(writes);
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
      const blockSamples = blocks.length === 0 ? 0 : await writePostgresBlocks(tx, blocks, nowMs);
      await tx.query(`INSERT INTO metric_dirty_minutes (minute, touched_ms) SELECT m, ?::double precision FROM unnest(?::int[]) AS m
        ON CONFLICT (minute) DO UPDATE SET touched_ms = excluded.touched_ms`, [nowMs, minutesOf(ts, blocks)]);
      return inserted + blockSamples;
    }),
  };
}

/** Shapes new to the store with their series' positions, then the blocks: the samples stored. */
async function writePostgresBlocks(tx: SqlExecutor, blocks: SampleBlock[], nowMs: number): Promise<number> {
  const shapes = blocks.filter((b): b is SampleBlock & { keys: Float64Array } => b.keys !== undefined);
  if (shapes.length > 0) {
    const created = new Set((await tx.query<{ id: string }>(`INSERT INTO metric_shapes (id, series_keys, first_seen_ms)
      SELECT t.*, ?::double precision FROM unnest(?::bigint[], ?::bytea[]) AS t ON CONFLICT DO NOTHING RETURNING id`,
    [nowMs, shapes.map((b) => b.shape), shapes.map((b) => blockBytes(b.keys))])).map((r) => Number(r.id)));
    for (const b of shapes.filter((s) => created.has(s.shape))) {
      await tx.query(`INSERT INTO metric_shape_series (series_key, shape_id, position) SELECT k, ?::bigint, p - 1
        FROM unnest(?::bigint[]) WITH ORDINALITY AS t(k, p) ON CONFLICT DO NOTHING`, [b.shape, Array.from(b.keys)]);
    }
  }
  const stored = await tx.query<{ count: number }>(`INSERT INTO metric_blocks (shape_id, ts, minute, count, sample_values)
    SELECT s, t, floor(t / 60000)::int, n, v FROM unnest(?::bigint[], ?::double precision[], ?::int[], ?::bytea[]) AS b(s, t, n, v)
    ON CONFLICT DO NOTHING RETURNING count`,
  [blocks.map((b) => b.shape), blocks.map((b) => b.ts), blocks.map((b) => b.values.length), blocks.map((b) => blockBytes(b.values))]);
  return stored.reduce((sum, r) => sum + r.count, 0);
}
