import { type TraceContribution, traceContributions } from "../analysis/trace-contributions";
import type { TraceSpan } from "../analysis/trace-tree";
import { startLeasedJob } from "../store/housekeeping";
import type { Sql } from "../store/sql";

/** What a finished trace adds to each rollup row: contribution field and rollup column. */
const ADDED = [
  ["criticalMs", "critical_ms"], ["selfMs", "self_ms"], ["traceMs", "trace_ms"],
  ["nPlusOneTraces", "n_plus_one_traces"], ["nPlusOneCalls", "n_plus_one_calls"], ["nPlusOneMs", "n_plus_one_ms"],
  ["sequentialTraces", "sequential_traces"], ["sequentialSavingMs", "sequential_saving_ms"],
] as const satisfies ReadonlyArray<readonly [keyof TraceContribution, string]>;
const COLUMNS = ADDED.map(([, col]) => col).join(", ");

/** Traces analysed per transaction. */
const PAGE = 2000;
/** A trace spread over more minutes than this is analysed on its first hour only. */
const MAX_TRACE_MINUTES = 60;

/**
 * Analyses traces that have had no new span for `quietMs`: their critical-path and self time go
 * into the minute rollups, and they are marked done, so that the ranking over 24 h reads rollups,
 * not raw spans. Returns how many traces were completed.
 */
export async function completeQuietTraces(sql: Sql, now: number, quietMs: number, limit = PAGE): Promise<number> {
  const due = await sql.query<{ trace_key: number | string; trace_id: string; first_minute: number; last_minute: number }>(
    `SELECT trace_key, trace_id, first_minute, last_minute FROM pending_traces WHERE done = 0 AND last_received_ms < ?
     ORDER BY last_received_ms LIMIT ?`, [now - quietMs, limit]);
  if (due.length === 0) return 0;
  const merged = new Map<string, TraceContribution>();
  for (const t of due) {
    const minutes = Array.from({ length: Math.min(MAX_TRACE_MINUTES, t.last_minute - t.first_minute + 1) }, (_, i) => t.first_minute + i);
    // One index seek per minute: the span index leads with (minute, trace_key).
    const spans = await sql.query<TraceSpan>(
      `SELECT span_id AS "spanId", parent_span_id AS "parentSpanId", service, name, kind, start_ms AS "startMs",
         duration_ms AS "durationMs", status_code AS "statusCode"
       FROM spans WHERE minute IN (${minutes.map(() => "?").join(",")}) AND trace_key = ? AND trace_id = ?`,
      [...minutes, t.trace_key, t.trace_id]);
    for (const c of traceContributions(spans)) {
      const key = `${c.minute}\u0000${c.service}\u0000${c.operation}\u0000${c.kind}\u0000${c.entry}`;
      const m = merged.get(key);
      if (!m) merged.set(key, { ...c });
      else for (const [field] of ADDED) m[field] += c[field];
    }
  }
  const rows = [...merged.values()].sort((a, b) => a.minute - b.minute || a.service.localeCompare(b.service) ||
    a.operation.localeCompare(b.operation) || a.kind - b.kind || a.entry - b.entry);
  await sql.transaction(async (tx) => {
    for (const c of rows) {
      await tx.run(`INSERT INTO rollups (minute, service, operation, kind, entry, count, errors, sum_ms, ${COLUMNS})
        VALUES (?, ?, ?, ?, ?, 0, 0, 0, ${ADDED.map(() => "?").join(", ")})
        ON CONFLICT (minute, service, operation, kind, entry) DO UPDATE SET ${ADDED.map(([, col]) => `${col} = rollups.${col} + excluded.${col}`).join(", ")}`,
        [c.minute, c.service, c.operation, c.kind, c.entry, ...ADDED.map(([field]) => c[field])]);
    }
    for (const t of due) await tx.run(`UPDATE pending_traces SET done = 1 WHERE trace_key = ? AND trace_id = ?`, [t.trace_key, t.trace_id]);
  });
  return due.length;
}

/** Runs completion every `everyMs` in whichever replica holds the lease. */
export function startTraceCompletion(sql: Sql, quietMs: number, everyMs = 2000): () => void {
  return startLeasedJob(sql, "trace-completion", { everyMs, leaseMs: everyMs * 5 }, async () => {
    // Keep going while a full page was due, so a backlog clears without waiting a tick per page.
    while ((await completeQuietTraces(sql, Date.now(), quietMs)) === PAGE);
  });
}
