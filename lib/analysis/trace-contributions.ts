import { criticalPath } from "./critical-path";
import { isEntrySpan } from "./span-kind";
import { tracePatterns } from "./trace-patterns";
import { type TraceSpan, buildTraceTree, byStart, selfTimeOf } from "./trace-tree";

/** What one finished trace adds to the minute rollups of its operations. */
export interface TraceContribution {
  minute: number; service: string; operation: string; kind: number; entry: number;
  criticalMs: number; selfMs: number;
  /** End-to-end time of this trace, added once per operation (to the minute it first appears in). */
  traceMs: number;
  nPlusOneTraces: number; nPlusOneCalls: number; nPlusOneMs: number;
  sequentialTraces: number; sequentialSavingMs: number;
}

/** Numbers equal as the rollup keys see them (their text): NaN matches NaN, -0 matches 0. */
function sameKeyNumber(a: number, b: number): boolean {
  return a === b || (a !== a && b !== b);
}

/** One (service, operation, kind, entry) of the trace, with its rows (one per minute). */
interface Operation {
  service: string;
  kind: number;
  entry: number;
  rows: TraceContribution[];
}

/**
 * Rows keyed by (minute, service, operation, kind, entry), found by name, then a short scan over
 * the rest of the key: building a key string per span dominated the cost.
 */
class ContributionRows {
  private readonly byName = new Map<string, Operation[]>();
  readonly all: TraceContribution[] = [];

  constructor(private readonly traceMs: number) {}

  /** The row of the span's key, created if it is the first span with that key. */
  rowOf(span: TraceSpan): TraceContribution {
    const op = this.operationOf(span);
    const minute = Math.floor(span.startMs / 60_000);
    // Spans are added in start order, so the row wanted is nearly always the last one.
    for (let i = op.rows.length - 1; i >= 0; i--) if (sameKeyNumber(op.rows[i].minute, minute)) return op.rows[i];
    // The trace's time goes to the operation's first row: the minute its earliest span starts in.
    const c: TraceContribution = { minute, service: span.service, operation: span.name, kind: span.kind, entry: op.entry, criticalMs: 0,
      selfMs: 0, traceMs: op.rows.length === 0 ? this.traceMs : 0, nPlusOneTraces: 0, nPlusOneCalls: 0, nPlusOneMs: 0,
      sequentialTraces: 0, sequentialSavingMs: 0 };
    op.rows.push(c);
    this.all.push(c);
    return c;
  }

  private operationOf(span: TraceSpan): Operation {
    const entry = isEntrySpan(span) ? 1 : 0;
    let ops = this.byName.get(span.name);
    if (!ops) this.byName.set(span.name, (ops = []));
    let op = ops.find((o) => o.service === span.service && sameKeyNumber(o.kind, span.kind) && o.entry === entry);
    if (!op) ops.push((op = { service: span.service, kind: span.kind, entry, rows: [] }));
    return op;
  }
}

/**
 * Critical-path time and self time per (minute of the span's start, service, operation, kind,
 * entry), the same keys as the ingest rollups, so that both land in the same rows.
 */
export function traceContributions(spans: TraceSpan[]): TraceContribution[] {
  const tree = buildTraceTree(spans);
  const critical = new Map<string, number>();
  for (const s of criticalPath(tree).sections) critical.set(s.spanId, (critical.get(s.spanId) ?? 0) + (s.endMs - s.startMs));
  const traceMs = tree.roots.reduce((t, r) => t + Math.max(0, r.span.durationMs), 0);
  const rows = new ContributionRows(traceMs);
  for (const node of [...tree.byId.values()].sort(byStart)) {
    const c = rows.rowOf(node.span);
    c.criticalMs += critical.get(node.span.spanId) ?? 0;
    c.selfMs += selfTimeOf(node);
  }
  // Hits are rare: their rows are looked up again (they exist by now) rather than remembered per span.
  for (const hit of tracePatterns(tree, critical)) {
    const c = rows.rowOf(tree.byId.get(hit.spanId)!.span);
    if (hit.kind === "n_plus_one") {
      c.nPlusOneTraces++;
      c.nPlusOneCalls += hit.calls;
      c.nPlusOneMs += hit.ms;
    } else {
      c.sequentialTraces++;
      c.sequentialSavingMs += hit.ms;
    }
  }
  return rows.all;
}
