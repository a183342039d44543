import type { SpanRecord } from "../ingest/span-record";
import type { RollupDelta } from "./rollup-delta";
import { idKey, minuteOf, textKey } from "./span-keys";
import type { PostgresSql, SqliteSql } from "./sql";

/**
 * The ingest hot path: spans and their rollups in one transaction, through the driver
 * (Prisma's createMany is ~38× slower here). A span already stored (same trace and span id,
 * e.g. an exporter retrying after a lost response) is skipped and not counted twice.
 */
export interface SpanWriter {
  /** Returns how many spans were new. `rollupsOf` gets exactly the new ones. */
  write(spans: SpanRecord[], receivedMs: number, rollupsOf: (inserted: SpanRecord[]) => RollupDelta[]): Promise<number>;
}

const SPAN_COLUMNS = "minute, trace_key, span_key, trace_id, span_id, parent_span_id, service, name, kind, start_ms, duration_ms, status_code, status_message, attributes, resource_key, scope, events, links, received_ms";
const ROLLUP_KEY = "minute, service, operation, kind, entry";

/** Rollup rows in key order, so concurrent writers on PostgreSQL take row locks in one order. */
function sortedDeltas(deltas: RollupDelta[]): RollupDelta[] {
  return deltas.sort((a, b) => a.minute - b.minute || (a.service < b.service ? -1 : a.service > b.service ? 1 : 0) ||
    (a.operation < b.operation ? -1 : a.operation > b.operation ? 1 : 0) || a.kind - b.kind || a.entry - b.entry);
}

/**
 * Keys of resource texts, remembering which are already stored so that each is written once
 * per process rather than once per span. `commit` records a transaction's new ones once it holds.
 */
function resourceKeys() {
  const keyOf = new Map<string, number>();
  const stored = new Set<number>();
  return {
    key(text: string): number {
      let k = keyOf.get(text);
      if (k === undefined) {
        if (keyOf.size > 10_000) keyOf.clear(); // resources churn with pods; keep the memo small
        keyOf.set(text, (k = textKey(text)));
      }
      return k;
    },
    isStored: (k: number) => stored.has(k),
    commit(keys: Iterable<number>) {
      if (stored.size > 100_000) stored.clear();
      for (const k of keys) stored.add(k);
    },
  };
}

/** Each trace of a batch once, with the minutes its new spans started in. */
function tracesOf(spans: SpanRecord[]): { traceKey: number; traceId: string; first: number; last: number }[] {
  const traces = new Map<string, { traceKey: number; traceId: string; first: number; last: number }>();
  for (const s of spans) {
    const m = minuteOf(s.startMs);
    const t = traces.get(s.traceId);
    if (!t) traces.set(s.traceId, { traceKey: idKey(s.traceId), traceId: s.traceId, first: m, last: m });
    else {
      t.first = Math.min(t.first, m);
      t.last = Math.max(t.last, m);
    }
  }
  return [...traces.values()];
}

export function sqliteSpanWriter(sql: SqliteSql): SpanWriter {
  const { db } = sql;
  const resources = resourceKeys();
  const insertResource = db.prepare(`INSERT INTO resources (key, attributes) VALUES (?, ?) ON CONFLICT DO NOTHING`);
  const insertSpan = db.prepare(`INSERT INTO spans (${SPAN_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING`);
  const upsertRollup = db.prepare(`INSERT INTO rollups (${ROLLUP_KEY}, count, errors, sum_ms) VALUES (?,?,?,?,?,?,?,?)
    ON CONFLICT (${ROLLUP_KEY}) DO UPDATE SET count = count + excluded.count, errors = errors + excluded.errors, sum_ms = sum_ms + excluded.sum_ms`);
  const upsertBucket = db.prepare(`INSERT INTO rollup_buckets (${ROLLUP_KEY}, bucket, count) VALUES (?,?,?,?,?,?,?)
    ON CONFLICT (${ROLLUP_KEY}, bucket) DO UPDATE SET count = count + excluded.count`);
  const touchTrace = db.prepare(`INSERT INTO pending_traces (trace_key, trace_id, first_minute, last_minute, last_received_ms) VALUES (?,?,?,?,?)
    ON CONFLICT (trace_key, trace_id) DO UPDATE SET first_minute = MIN(first_minute, excluded.first_minute),
      last_minute = MAX(last_minute, excluded.last_minute), last_received_ms = excluded.last_received_ms`);
  const writeAll = db.transaction((spans: SpanRecord[], receivedMs: number, rollupsOf: (inserted: SpanRecord[]) => RollupDelta[], fresh: Set<number>) => {
    const inserted: SpanRecord[] = [];
    for (const s of spans) {
      const rk = resources.key(s.resource);
      if (!resources.isStored(rk) && !fresh.has(rk)) {
        insertResource.run(rk, s.resource);
        fresh.add(rk);
      }
      const { changes } = insertSpan.run(minuteOf(s.startMs), idKey(s.traceId), idKey(s.spanId), s.traceId, s.spanId, s.parentSpanId, s.service, s.name, s.kind, s.startMs, s.durationMs,
        s.statusCode, s.statusMessage, s.attributes, rk, s.scope, s.events, s.links, receivedMs);
      if (changes === 1) inserted.push(s);
    }
    for (const t of tracesOf(inserted)) touchTrace.run(t.traceKey, t.traceId, t.first, t.last, receivedMs);
    for (const d of rollupsOf(inserted)) {
      upsertRollup.run(d.minute, d.service, d.operation, d.kind, d.entry, d.count, d.errors, d.sumMs);
      for (const [bucket, count] of d.buckets) upsertBucket.run(d.minute, d.service, d.operation, d.kind, d.entry, bucket, count);
    }
    return inserted.length;
  });
  return {
    write: async (spans, receivedMs, rollupsOf) => {
      const fresh = new Set<number>();
      const n = writeAll.immediate(spans, receivedMs, rollupsOf, fresh);
      resources.commit(fresh);
      return n;
    },
  };
}

/** PostgreSQL: one statement per table, rows passed as arrays and expanded with unnest. */
export function postgresSpanWriter(sql: PostgresSql): SpanWriter {
  const resources = resourceKeys();
  return {
    write: async (spans, receivedMs, rollupsOf) => {
      const fresh = new Map<number, string>();
      const keys = spans.map((s) => {
        const rk = resources.key(s.resource);
        if (!resources.isStored(rk)) fresh.set(rk, s.resource);
        return rk;
      });
      const n = await sql.transaction(async (tx) => {
        if (fresh.size > 0) {
          await tx.query(`INSERT INTO resources (key, attributes) SELECT * FROM unnest(?::bigint[], ?::text[]) ON CONFLICT DO NOTHING`,
            [[...fresh.keys()], [...fresh.values()]]);
        }
        const columns = transpose(spans.map((s, i) => [minuteOf(s.startMs), idKey(s.traceId), idKey(s.spanId), s.traceId, s.spanId, s.parentSpanId, s.service, s.name,
          s.kind, s.startMs, s.durationMs, s.statusCode, s.statusMessage, s.attributes, keys[i], s.scope, s.events, s.links]), 18);
        const created = await tx.query<{ trace_id: string; span_id: string }>(
          `INSERT INTO spans (${SPAN_COLUMNS})
           SELECT t.*, ?::double precision FROM unnest(?::int[], ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::double precision[],
             ?::double precision[], ?::int[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[]) AS t
           ON CONFLICT DO NOTHING RETURNING trace_id, span_id`,
          [receivedMs, ...columns]);
        const isNew = new Set(created.map((r) => r.trace_id + r.span_id));
        const inserted = created.length === spans.length ? spans : spans.filter((s) => isNew.has(s.traceId + s.spanId));
        const deltas = sortedDeltas(rollupsOf(inserted));
        if (deltas.length === 0) return 0;
        const traces = tracesOf(inserted).sort((a, b) => a.traceKey - b.traceKey);
        await tx.query(`INSERT INTO pending_traces (trace_key, trace_id, first_minute, last_minute, last_received_ms)
          SELECT t.*, ?::double precision FROM unnest(?::bigint[], ?::text[], ?::int[], ?::int[]) AS t
          ON CONFLICT (trace_key, trace_id) DO UPDATE SET first_minute = LEAST(pending_traces.first_minute, excluded.first_minute),
            last_minute = GREATEST(pending_traces.last_minute, excluded.last_minute), last_received_ms = excluded.last_received_ms`,
          [receivedMs, ...transpose(traces.map((t) => [t.traceKey, t.traceId, t.first, t.last]), 4)]);
        const key = (d: RollupDelta) => [d.minute, d.service, d.operation, d.kind, d.entry];
        await tx.query(`INSERT INTO rollups (${ROLLUP_KEY}, count, errors, sum_ms)
          SELECT * FROM unnest(?::int[], ?::text[], ?::text[], ?::int[], ?::int[], ?::int[], ?::int[], ?::double precision[])
          ON CONFLICT (${ROLLUP_KEY}) DO UPDATE SET count = rollups.count + excluded.count,
            errors = rollups.errors + excluded.errors, sum_ms = rollups.sum_ms + excluded.sum_ms`,
          transpose(deltas.map((d) => [...key(d), d.count, d.errors, d.sumMs]), 8));
        const bucketRows = deltas.flatMap((d) => [...d.buckets].sort((a, b) => a[0] - b[0]).map(([b, c]) => [...key(d), b, c]));
        await tx.query(`INSERT INTO rollup_buckets (${ROLLUP_KEY}, bucket, count)
          SELECT * FROM unnest(?::int[], ?::text[], ?::text[], ?::int[], ?::int[], ?::int[], ?::int[])
          ON CONFLICT (${ROLLUP_KEY}, bucket) DO UPDATE SET count = rollup_buckets.count + excluded.count`,
          transpose(bucketRows, 7));
        return inserted.length;
      });
      resources.commit(fresh.keys());
      return n;
    },
  };
}

function transpose(rows: unknown[][], width: number): unknown[][] {
  const cols: unknown[][] = Array.from({ length: width }, () => new Array(rows.length));
  rows.forEach((r, i) => { for (let c = 0; c < width; c++) cols[c][i] = r[c]; });
  return cols;
}
