/**
 * The critical path of a trace with Jaeger's semantics (jaeger-ui getCriticalPath): walk back
 * from the end of each root; at every point the child that finished last at or before it is on
 * the path, time no such child covers belongs to the span itself. Children that overflow their
 * parent are trimmed to it, children wholly outside it are dropped with their subtree, and a
 * consumer under a producer does not block it. An explicit stack replaces Jaeger's recursion.
 */
import { type TraceNode, type TraceSpan, type TraceTree, spanEndMs } from "./trace-tree";

export interface CriticalPathSection {
  spanId: string;
  startMs: number;
  endMs: number;
}

export interface CriticalPath {
  /** Per root (roots in start order): contiguous, in time order, covering the root exactly. */
  sections: CriticalPathSection[];
}

export interface OperationCriticalTime {
  service: string;
  operation: string;
  kind: number;
  criticalMs: number;
}

const PRODUCER = 4;
const CONSUMER = 5;

/** A child with its bounds trimmed to its (already trimmed) parent. */
interface Clipped {
  node: TraceNode;
  startMs: number;
  endMs: number;
}

/** One span being walked; a class so that every frame has the same shape (hot loop). */
class Frame {
  /** Blocking children, by end time; read from the back. */
  readonly kids: readonly Clipped[];
  next: number;
  /** The walk's current point in this span: everything after it is attributed. */
  cursor: number;
  constructor(readonly node: TraceNode, readonly startMs: number, readonly endMs: number) {
    this.kids = blockingChildren(node, startMs, endMs);
    this.next = this.kids.length - 1;
    this.cursor = endMs;
  }
}

/** Shared by every leaf (most spans): no array allocated for them. Never written to. */
const NO_CHILDREN: readonly Clipped[] = [];

function blockingChildren(node: TraceNode, startMs: number, endMs: number): readonly Clipped[] {
  if (node.children.length === 0) return NO_CHILDREN;
  const out: Clipped[] = [];
  const producer = node.span.kind === PRODUCER;
  // Backwards, so that after the stable sort a full tie is read in child order (Jaeger picks the first).
  for (let i = node.children.length - 1; i >= 0; i--) {
    const child = node.children[i];
    if (producer && child.span.kind === CONSUMER) continue;
    let cs = child.span.startMs;
    let ce = spanEndMs(child.span);
    // Wholly outside the parent (Jaeger's sanitizeOverFlowingChildren): dropped, subtree too.
    if (cs >= startMs ? cs >= endMs : ce <= startMs) continue;
    if (cs < startMs) cs = startMs;
    if (ce > endMs) ce = endMs;
    out.push({ node: child, startMs: cs, endMs: ce });
  }
  // Among equal ends the earliest start (the longest child) must be read first, as in Jaeger.
  if (out.length > 1) out.sort((a, b) => a.endMs - b.endMs || b.startMs - a.startMs);
  return out;
}

/** Sections are produced backwards; a span's adjacent pieces are merged, empty ones skipped. */
function emit(out: CriticalPathSection[], spanId: string, startMs: number, endMs: number): void {
  if (!(endMs > startMs)) return;
  const last = out[out.length - 1];
  if (last && last.spanId === spanId && last.startMs === endMs) last.startMs = startMs;
  else out.push({ spanId, startMs, endMs });
}

function rootPath(root: TraceNode): CriticalPathSection[] {
  const out: CriticalPathSection[] = [];
  const stack: Frame[] = [new Frame(root, root.span.startMs, spanEndMs(root.span))];
  while (stack.length > 0) {
    const f = stack[stack.length - 1];
    // The cursor only moves back, so a child ending after it can never become eligible again.
    while (f.next >= 0 && f.kids[f.next].endMs > f.cursor) f.next--;
    if (f.next >= 0) {
      const child = f.kids[f.next--];
      emit(out, f.node.span.spanId, child.endMs, f.cursor);
      f.cursor = child.startMs;
      stack.push(new Frame(child.node, child.startMs, child.endMs));
    } else {
      emit(out, f.node.span.spanId, f.startMs, f.cursor);
      stack.pop();
    }
  }
  return out.reverse();
}

export function criticalPath<S extends TraceSpan>(tree: TraceTree<S>): CriticalPath {
  // The common single root needs no copy.
  if (tree.roots.length === 1) return { sections: rootPath(tree.roots[0]) };
  const sections: CriticalPathSection[] = [];
  for (const root of tree.roots) for (const s of rootPath(root)) sections.push(s);
  return { sections };
}

/** Critical-path time per (service, operation, kind), largest first: what goes into rollups. */
export function criticalPathByOperation<S extends TraceSpan>(
  tree: TraceTree<S>,
  sections: readonly CriticalPathSection[],
): OperationCriticalTime[] {
  // Keyed by name, then a short scan over (service, kind): no string building per section, and
  // an array per distinct name is far cheaper than a map.
  const byName = new Map<string, OperationCriticalTime[]>();
  const all: OperationCriticalTime[] = [];
  for (const section of sections) {
    const span = tree.byId.get(section.spanId)?.span;
    if (!span) continue;
    let entries = byName.get(span.name);
    if (!entries) byName.set(span.name, (entries = []));
    let entry = entries.find((e) => e.service === span.service && e.kind === span.kind);
    if (!entry) {
      entries.push((entry = { service: span.service, operation: span.name, kind: span.kind, criticalMs: 0 }));
      all.push(entry);
    }
    entry.criticalMs += section.endMs - section.startMs;
  }
  return all.sort((a, b) => b.criticalMs - a.criticalMs);
}
