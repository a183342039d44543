/**
 * The spans of one trace as a tree, tolerant of the bad data real traces carry: missing parents,
 * duplicate ids, parent cycles and clocks that disagree between hosts. Nothing here recurses, so
 * a chain thousands of spans deep cannot overflow the stack.
 */

/** One span as the analysers see it. Objects may carry more fields; they are kept as they are. */
export interface TraceSpan {
  spanId: string;
  /** "" for a root. */
  parentSpanId: string;
  service: string;
  name: string;
  /** OTLP SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startMs: number;
  durationMs: number;
  /** OTLP status code: 2 = error. */
  statusCode: number;
}

export interface TraceNode<S extends TraceSpan = TraceSpan> {
  /** The span object as received (same reference). */
  span: S;
  parent: TraceNode<S> | null;
  /** Sorted by start time. */
  children: TraceNode<S>[];
  /** Names a parent that is not in the trace, or closed a parent cycle: it is shown as an extra root. */
  missingParent: boolean;
  /** Starts before or ends after a parent in another service: the two hosts' clocks disagree. */
  clockSkew: boolean;
}

export interface TraceTree<S extends TraceSpan = TraceSpan> {
  /** Sorted by start time. */
  roots: TraceNode<S>[];
  byId: Map<string, TraceNode<S>>;
  /** Ids seen more than once; only the first span with each id is in the tree. */
  duplicateSpanIds: string[];
}

/** End of a span; a negative or missing duration counts as zero. */
export function spanEndMs(span: TraceSpan): number {
  return span.startMs + (span.durationMs > 0 ? span.durationMs : 0);
}

export function buildTraceTree<S extends TraceSpan>(spans: readonly S[]): TraceTree<S> {
  const byId = new Map<string, TraceNode<S>>();
  const nodes: TraceNode<S>[] = [];
  const duplicateSpanIds: string[] = [];
  for (const span of spans) {
    if (byId.has(span.spanId)) {
      duplicateSpanIds.push(span.spanId);
      continue;
    }
    const node: TraceNode<S> = { span, parent: null, children: [], missingParent: false, clockSkew: false };
    byId.set(span.spanId, node);
    nodes.push(node);
  }
  for (const node of nodes) {
    const parentId = node.span.parentSpanId;
    if (!parentId) continue;
    const parent = byId.get(parentId);
    if (parent) {
      node.parent = parent;
      parent.children.push(node);
    } else {
      node.missingParent = true;
    }
  }
  // Only spans on or under a cycle are unreachable from the roots; the costlier walk that breaks
  // cycles runs only when there are some.
  if (countReachable(nodes) < nodes.length) breakCycles(nodes);

  const roots: TraceNode<S>[] = [];
  for (const node of nodes) {
    const parent = node.parent;
    if (!parent) {
      roots.push(node);
      continue;
    }
    // Overflow within one service is normal (async work); across services it means skewed clocks.
    const s = node.span;
    const p = parent.span;
    if (s.service !== p.service && (s.startMs < p.startMs || spanEndMs(s) > spanEndMs(p))) node.clockSkew = true;
  }
  sortByStart(roots);
  for (const node of nodes) sortByStart(node.children);
  return { roots, byId, duplicateSpanIds };
}

/** Comparator for start-time order; declared once rather than per call (sorting is hot). */
export function byStart(a: TraceNode, b: TraceNode): number {
  return a.span.startMs - b.span.startMs;
}

/** Spans mostly arrive in start order: checking is cheaper than sorting, and gives what the stable sort would. */
function sortByStart(nodes: TraceNode[]): void {
  for (let i = 1; i < nodes.length; i++) {
    if (byStart(nodes[i - 1], nodes[i]) > 0) {
      nodes.sort(byStart);
      return;
    }
  }
}

/** Each span has one parent, so a walk down from the roots meets every reachable span once. */
function countReachable<S extends TraceSpan>(nodes: TraceNode<S>[]): number {
  const stack = nodes.filter((n) => !n.parent);
  let count = 0;
  for (let n = stack.pop(); n; n = stack.pop()) {
    count++;
    for (const c of n.children) stack.push(c);
  }
  return count;
}

/**
 * Walks up from every span; a walk that meets itself has found a cycle. The cycle is cut at its
 * earliest-starting span (ties: lowest id), so the result does not depend on the input order.
 */
function breakCycles<S extends TraceSpan>(nodes: TraceNode<S>[]): void {
  const ON_PATH = 1;
  const DONE = 2;
  const state = new Map<TraceNode<S>, number>();
  const path: TraceNode<S>[] = [];
  for (const first of nodes) {
    path.length = 0;
    let n: TraceNode<S> | null = first;
    while (n && !state.has(n)) {
      state.set(n, ON_PATH);
      path.push(n);
      n = n.parent;
    }
    if (n && state.get(n) === ON_PATH) {
      let cut = n;
      for (let i = path.indexOf(n) + 1; i < path.length; i++) {
        const c = path[i];
        if (c.span.startMs < cut.span.startMs || (c.span.startMs === cut.span.startMs && c.span.spanId < cut.span.spanId)) cut = c;
      }
      const siblings = cut.parent!.children;
      siblings.splice(siblings.indexOf(cut), 1);
      cut.parent = null;
      cut.missingParent = true;
    }
    for (const p of path) state.set(p, DONE);
  }
}

/**
 * Exclusive time per span id: its duration minus the union of its children's intervals clipped
 * to the span, so overlapping children are subtracted once. Never negative.
 */
export function selfTimes<S extends TraceSpan>(tree: TraceTree<S>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [id, node] of tree.byId) out.set(id, selfTimeOf(node));
  return out;
}

/** Exclusive time of one span (see selfTimes). */
export function selfTimeOf<S extends TraceSpan>(node: TraceNode<S>): number {
  const start = node.span.startMs;
  const end = spanEndMs(node.span);
  let covered = 0;
  let runStart = 0;
  let runEnd = -Infinity;
  // Children are sorted by start, and clipping keeps that order: one sweep merges them.
  for (const child of node.children) {
    const cs = Math.max(child.span.startMs, start);
    const ce = Math.min(spanEndMs(child.span), end);
    if (ce <= cs) continue;
    if (cs > runEnd) {
      if (runEnd > runStart) covered += runEnd - runStart;
      runStart = cs;
      runEnd = ce;
    } else if (ce > runEnd) {
      runEnd = ce;
    }
  }
  if (runEnd > runStart) covered += runEnd - runStart;
  // The duration itself, not end − start: with epoch-ms floats that difference is rounded.
  const self = (node.span.durationMs > 0 ? node.span.durationMs : 0) - covered;
  return self > 0 ? self : 0;
}
