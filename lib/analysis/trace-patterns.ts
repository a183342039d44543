import { type TraceNode, type TraceSpan, type TraceTree, byStart } from "./trace-tree";

/**
 * Patterns in one trace that point at code rather than capacity:
 * - `n_plus_one`: the same client call repeated under one parent (a query per row, a request
 *   per item), with the critical-path time the repetition costs;
 * - `sequential_calls`: client calls to different downstreams that run one after another on the
 *   critical path and could run in parallel, with the time that would save.
 */
export interface PatternHit {
  kind: "n_plus_one" | "sequential_calls";
  /** n_plus_one: the repeated call's service, name and kind; sequential_calls: the caller's. */
  service: string; operation: string; spanKind: number;
  /** The span the hit is keyed on: the first repeated call, or the caller. */
  spanId: string;
  calls: number;
  /** n_plus_one: critical-path time of the repeated calls; sequential_calls: time parallel calls would save. */
  ms: number;
}

const CLIENT = 3;
/** This many calls with the same name under one parent is an N+1. */
export const N_PLUS_ONE_MIN_CALLS = 5;

/** Critical-path time of each span's whole subtree, from the per-span critical time. */
function subtreeCritical<S extends TraceSpan>(tree: TraceTree<S>, own: Map<string, number>): Map<string, number> {
  // Breadth-first order puts every span after its parent and each span's children next to each
  // other; summing it backwards needs no recursion, and plain arrays instead of map updates.
  const order: TraceNode<S>[] = [...tree.roots];
  const firstChild: number[] = [];
  for (let i = 0; i < order.length; i++) {
    firstChild.push(order.length);
    for (const c of order[i].children) order.push(c);
  }
  const sums = new Array<number>(order.length);
  const total = new Map<string, number>();
  for (let i = order.length - 1; i >= 0; i--) {
    const n = order[i];
    // Children are added last to first, then the span's own time (the order fixes the float sum).
    let t = 0;
    for (let k = firstChild[i] + n.children.length - 1; k >= firstChild[i]; k--) t += sums[k];
    sums[i] = t + (own.get(n.span.spanId) ?? 0);
    total.set(n.span.spanId, sums[i]);
  }
  return total;
}

/** Where a client call goes: the service of the server span under it, else the call's own name. */
function downstreamOf<S extends TraceSpan>(n: TraceNode<S>): string {
  const server = n.children.find((c) => c.span.service !== n.span.service);
  return server ? server.span.service : n.span.name;
}

/** Calls grouped by (service, name), groups in order of first call: by name, then a scan over services. */
function groupByOperation<S extends TraceSpan>(calls: readonly TraceNode<S>[]): TraceNode<S>[][] {
  const byName = new Map<string, TraceNode<S>[][]>();
  const groups: TraceNode<S>[][] = [];
  for (const c of calls) {
    let sameName = byName.get(c.span.name);
    if (!sameName) byName.set(c.span.name, (sameName = []));
    let group = sameName.find((g) => g[0].span.service === c.span.service);
    if (!group) {
      sameName.push((group = []));
      groups.push(group);
    }
    group.push(c);
  }
  return groups;
}

function nPlusOneHits<S extends TraceSpan>(calls: readonly TraceNode<S>[], critical: Map<string, number>, hits: PatternHit[]): void {
  // Fewer calls than that cannot hold a group large enough: skip the grouping.
  if (calls.length < N_PLUS_ONE_MIN_CALLS) return;
  for (const group of groupByOperation(calls)) {
    if (group.length < N_PLUS_ONE_MIN_CALLS) continue;
    const s = group[0].span;
    hits.push({ kind: "n_plus_one", service: s.service, operation: s.name, spanKind: s.kind, spanId: s.spanId, calls: group.length,
      ms: group.reduce((t, c) => t + (critical.get(c.span.spanId) ?? 0), 0) });
  }
}

function sequentialHit<S extends TraceSpan>(parent: TraceNode<S>, calls: readonly TraceNode<S>[], critical: Map<string, number>,
  hits: PatternHit[]): void {
  // Calls the parent waits on (most of their time is on the critical path), one per downstream,
  // that do not overlap: run together they would take as long as the longest of them.
  const waited = calls
    .filter((c) => (critical.get(c.span.spanId) ?? 0) >= 0.5 * c.span.durationMs && c.span.durationMs > 0)
    .sort(byStart);
  if (waited.length < 2) return;
  const chain: TraceNode<S>[] = [];
  const seen = new Set<string>();
  for (const c of waited) {
    const last = chain[chain.length - 1];
    const downstream = downstreamOf(c);
    if (seen.has(downstream)) continue;
    if (last && c.span.startMs < last.span.startMs + last.span.durationMs) continue;
    chain.push(c);
    seen.add(downstream);
  }
  if (chain.length >= 2) {
    const durations = chain.map((c) => critical.get(c.span.spanId) ?? 0);
    hits.push({ kind: "sequential_calls", service: parent.span.service, operation: parent.span.name, spanKind: parent.span.kind,
      spanId: parent.span.spanId, calls: chain.length, ms: durations.reduce((a, b) => a + b, 0) - Math.max(...durations) });
  }
}

export function tracePatterns<S extends TraceSpan>(tree: TraceTree<S>, ownCritical: Map<string, number>): PatternHit[] {
  const critical = subtreeCritical(tree, ownCritical);
  const hits: PatternHit[] = [];
  for (const parent of tree.byId.values()) {
    // Both patterns need two calls at least; most spans have fewer children than that.
    if (parent.children.length < 2) continue;
    const calls = parent.children.filter((c) => c.span.kind === CLIENT);
    if (calls.length < 2) continue;
    nPlusOneHits(calls, critical, hits);
    sequentialHit(parent, calls, critical, hits);
  }
  return hits;
}
