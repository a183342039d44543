import { describe, expect, it } from "vitest";
import { type CriticalPathSection, criticalPath, criticalPathByOperation } from "./critical-path";
import { type TraceNode, type TraceSpan, type TraceTree, buildTraceTree, selfTimes, spanEndMs } from "./trace-tree";
import { mulberry32 } from "../testing/prng";

function span(spanId: string, parentSpanId: string, startMs: number, durationMs: number, extra: Partial<TraceSpan> = {}): TraceSpan {
  return { spanId, parentSpanId, service: "api", name: spanId, kind: 1, startMs, durationMs, statusCode: 0, ...extra };
}

const path = (spans: TraceSpan[]) => criticalPath(buildTraceTree(spans)).sections;
const sec = (spanId: string, startMs: number, endMs: number): CriticalPathSection => ({ spanId, startMs, endMs });

describe("criticalPath", () => {
  it("walks sequential children, giving the gaps to the parent", () => {
    expect(path([span("a", "", 0, 100), span("b", "a", 10, 30), span("c", "a", 50, 40)])).toEqual([
      sec("a", 0, 10), sec("b", 10, 40), sec("a", 40, 50), sec("c", 50, 90), sec("a", 90, 100),
    ]);
  });

  it("takes the last-finishing of overlapping children and skips those ending inside it", () => {
    expect(
      path([span("a", "", 0, 100), span("b", "a", 10, 50), span("c", "a", 30, 50), span("d", "c", 40, 30), span("e", "a", 5, 10)]),
    ).toEqual([sec("a", 0, 5), sec("e", 5, 15), sec("a", 15, 30), sec("c", 30, 40), sec("d", 40, 70), sec("c", 70, 80), sec("a", 80, 100)]);
  });

  it("takes a child that ends exactly where the path already is", () => {
    expect(path([span("a", "", 0, 100), span("b", "a", 0, 50), span("c", "a", 50, 50)])).toEqual([sec("b", 0, 50), sec("c", 50, 100)]);
  });

  it("prefers the longer of two children that end together", () => {
    expect(path([span("a", "", 0, 100), span("short", "a", 60, 30), span("long", "a", 20, 70)])).toEqual([
      sec("a", 0, 20), sec("long", 20, 90), sec("a", 90, 100),
    ]);
  });

  it("trims a child longer than its parent, and its children to the trimmed bounds", () => {
    expect(path([span("a", "", 10, 90), span("b", "a", 0, 120), span("c", "b", 90, 25), span("d", "b", -5, 20)])).toEqual([
      sec("d", 10, 15), sec("b", 15, 90), sec("c", 90, 100),
    ]);
  });

  it("trims async children that end after the parent, dropping their work beyond it", () => {
    expect(
      path([span("a", "", 0, 100), span("job", "a", 80, 120), span("late", "job", 150, 40), span("early", "job", 85, 5)]),
    ).toEqual([sec("a", 0, 80), sec("job", 80, 85), sec("early", 85, 90), sec("job", 90, 100)]);
  });

  it("drops children entirely outside their parent, with their subtrees", () => {
    const sections = path([
      span("a", "", 0, 100),
      span("after", "a", 120, 30), span("afterKid", "after", 125, 5),
      span("before", "a", -50, 40), span("beforeKid", "before", -45, 5),
      span("atEnd", "a", 100, 10), span("endsAtStart", "a", -10, 10),
    ]);
    expect(sections).toEqual([sec("a", 0, 100)]);
  });

  it("handles a 5,000-level chain without overflowing the stack", () => {
    const N = 5000;
    const spans = Array.from({ length: N }, (_, i) => span(`s${i}`, i === 0 ? "" : `s${i - 1}`, i, 2 * N - 2 * i));
    const expected: CriticalPathSection[] = [];
    for (let k = 0; k < N - 1; k++) expected.push(sec(`s${k}`, k, k + 1));
    expected.push(sec(`s${N - 1}`, N - 1, N + 1));
    for (let k = N - 2; k >= 0; k--) expected.push(sec(`s${k}`, 2 * N - k - 1, 2 * N - k));
    expect(path(spans)).toEqual(expected);
  });

  it("gives each extra root (missing parent) its own path, after the real root", () => {
    const tree = buildTraceTree([span("a", "", 0, 100), span("b", "a", 10, 20), span("orphan", "gone", 40, 30), span("o1", "orphan", 50, 10)]);
    expect(tree.byId.get("orphan")!.missingParent).toBe(true);
    expect(criticalPath(tree).sections).toEqual([
      sec("a", 0, 10), sec("b", 10, 30), sec("a", 30, 100),
      sec("orphan", 40, 50), sec("o1", 50, 60), sec("orphan", 60, 70),
    ]);
  });

  it("covers a single-span trace with that span", () => {
    expect(path([span("a", "", 5, 7.5)])).toEqual([sec("a", 5, 12.5)]);
    expect(path([])).toEqual([]);
  });

  it("leaves a consumer's subtree off its producer's path", () => {
    const spans = [
      span("a", "", 0, 100, { kind: 2 }),
      span("publish", "a", 10, 10, { kind: 4 }),
      span("consume", "publish", 15, 75, { kind: 5 }),
      span("handle", "consume", 20, 60),
    ];
    expect(path(spans)).toEqual([sec("a", 0, 10), sec("publish", 10, 20), sec("a", 20, 100)]);
    // A consumer under anything but a producer still blocks.
    spans[1] = span("publish", "a", 10, 90, { kind: 3 });
    expect(path(spans)).toEqual([sec("a", 0, 10), sec("publish", 10, 15), sec("consume", 15, 20), sec("handle", 20, 80), sec("consume", 80, 90), sec("publish", 90, 100)]);
  });

  it("emits no zero-length sections and does not loop on zero-length children", () => {
    expect(path([span("a", "", 0, 10), span("z1", "a", 5, 0), span("z2", "a", 5, 0), span("z3", "a", 0, 0), span("end", "a", 10, 0)])).toEqual([sec("a", 0, 10)]);
    expect(path([span("a", "", 3, 0), span("b", "a", 3, 0)])).toEqual([]);
    expect(path([span("a", "", 0, 10), span("b", "a", 2, 3), span("z", "b", 5, 0)])).toEqual([sec("a", 0, 2), sec("b", 2, 5), sec("a", 5, 10)]);
  });

  it("trims a clock-skewed child of another service, which stays flagged and as received", () => {
    const tree = buildTraceTree([span("a", "", 100, 100, { service: "web" }), span("q", "a", 90, 30, { service: "db" })]);
    expect(tree.byId.get("q")!.clockSkew).toBe(true);
    expect(tree.byId.get("q")!.span.startMs).toBe(90);
    expect(criticalPath(tree).sections).toEqual([sec("q", 100, 120), sec("a", 120, 200)]);
  });

  it("stays contiguous at epoch-millisecond magnitudes, to the resolution of a double", () => {
    const t0 = 1_760_000_000_000.123;
    const sections = path([span("a", "", t0, 12.345678), span("b", "a", t0 + 1.234567, 3.3333333)]);
    expect(sections.map((s) => s.spanId)).toEqual(["a", "b", "a"]);
    for (let i = 1; i < sections.length; i++) expect(sections[i].startMs).toBe(sections[i - 1].endMs);
    const total = sections.reduce((t, s) => t + (s.endMs - s.startMs), 0);
    // One double near 1.76e12 is 2^-12 ms apart: the root's end cannot be more exact than that.
    expect(Math.abs(total - 12.345678)).toBeLessThan(2 ** -12);
  });
});

describe("criticalPathByOperation", () => {
  it("sums the sections per service, operation and kind", () => {
    const tree = buildTraceTree([
      span("root", "", 0, 100, { service: "web", name: "GET /", kind: 2 }),
      span("q1", "root", 10, 20, { service: "db", name: "SELECT", kind: 3 }),
      span("q2", "root", 40, 30, { service: "db", name: "SELECT", kind: 3 }),
      span("q3", "root", 45, 10, { service: "db", name: "SELECT", kind: 3 }), // hidden by q2
      span("srv", "root", 75, 5, { service: "db", name: "SELECT", kind: 2 }),
    ]);
    const byOp = criticalPathByOperation(tree, criticalPath(tree).sections);
    expect(byOp).toEqual([
      { service: "web", operation: "GET /", kind: 2, criticalMs: 45 },
      { service: "db", operation: "SELECT", kind: 3, criticalMs: 50 },
      { service: "db", operation: "SELECT", kind: 2, criticalMs: 5 },
    ].sort((a, b) => b.criticalMs - a.criticalMs));
    expect(byOp.reduce((t, o) => t + o.criticalMs, 0)).toBe(100);
  });

  it("ignores sections of spans it does not know", () => {
    const tree = buildTraceTree([span("a", "", 0, 1)]);
    expect(criticalPathByOperation(tree, [sec("zzz", 0, 1)])).toEqual([]);
  });
});

/** Random nesting, overlaps, overflows, async work, zero lengths, orphans, duplicates and cycles. */
function randomTrace(r: () => number, n: number, grid: boolean): TraceSpan[] {
  const q = (x: number) => (grid ? Math.round(x * 64) / 64 : x);
  const spans: TraceSpan[] = [];
  for (let i = 0; i < n; i++) {
    const roll = r();
    let parentSpanId = "";
    let lo = q(r() * 1000);
    let len = q(1 + r() * 500);
    if (i > 0 && roll < 0.8) {
      const p = spans[Math.floor(r() * i)];
      parentSpanId = p.spanId;
      const pLen = Math.max(p.durationMs, 0);
      const shape = r();
      if (shape < 0.6) { lo = q(p.startMs + r() * pLen); len = q(r() * (p.startMs + pLen - lo)); } // inside
      else if (shape < 0.7) { lo = q(p.startMs + r() * pLen); len = q(r() * pLen * 2); } // async: may end after
      else if (shape < 0.8) { lo = q(p.startMs - r() * 50); len = q(r() * (pLen + 100)); } // starts before
      else if (shape < 0.87) { lo = q(p.startMs + pLen + r() * 50); len = q(r() * 30); } // wholly after
      else if (shape < 0.92) { lo = q(p.startMs - 60 - r() * 50); len = q(r() * 60); } // wholly before
      else { lo = q(p.startMs + r() * pLen); len = 0; } // zero length
      len = Math.max(0, len);
    } else if (roll < 0.85) parentSpanId = `missing${i}`;
    else if (roll < 0.9) parentSpanId = `s${Math.floor(r() * n)}`; // any span, even a later one or itself
    const spanId = r() < 0.02 && i > 0 ? `s${Math.floor(r() * i)}` : `s${i}`;
    spans.push({
      spanId, parentSpanId, service: `svc${Math.floor(r() * 3)}`, name: `op${Math.floor(r() * 4)}`,
      kind: Math.floor(r() * 6), startMs: lo, durationMs: len, statusCode: 0,
    });
  }
  return spans;
}

/** Straightforward recursive restatement of the walk, to compare the stack-based one against. */
function referencePath(tree: TraceTree): CriticalPathSection[] {
  const out: CriticalPathSection[] = [];
  const walk = (node: TraceNode, s: number, e: number) => {
    const kids = node.children
      .filter((c) => !(node.span.kind === 4 && c.span.kind === 5))
      .filter((c) => (c.span.startMs >= s ? c.span.startMs < e : spanEndMs(c.span) > s))
      .map((c) => ({ c, s: Math.max(c.span.startMs, s), e: Math.min(spanEndMs(c.span), e) }));
    const used = new Set<unknown>();
    let cur = e;
    for (;;) {
      let best: (typeof kids)[number] | undefined;
      for (const k of kids) if (!used.has(k) && k.e <= cur && (!best || k.e > best.e || (k.e === best.e && k.s < best.s))) best = k;
      const from = best ? best.e : s;
      if (cur > from) out.push(sec(node.span.spanId, from, cur));
      if (!best) break;
      used.add(best);
      walk(best.c, best.s, best.e);
      cur = best.s;
    }
  };
  for (const root of tree.roots) {
    const start = out.length;
    walk(root, root.span.startMs, spanEndMs(root.span));
    const block = out.splice(start).reverse();
    // Merge a span's adjacent pieces, as the implementation does.
    for (const b of block) {
      const last = out[out.length - 1];
      if (out.length > start && last.spanId === b.spanId && last.endMs === b.startMs) last.endMs = b.endMs;
      else out.push({ ...b });
    }
  }
  return out;
}

/** The first broken invariant of a trace's critical path, or null. Plain checks: expect() per section is slow. */
function violation(tree: TraceTree, sections: CriticalPathSection[]): string | null {
  let i = 0;
  for (const root of tree.roots) {
    const start = root.span.startMs;
    const end = spanEndMs(root.span);
    let total = 0;
    let at = start;
    const first = i;
    for (; i < sections.length; i++) {
      const s = sections[i];
      let node = tree.byId.get(s.spanId);
      if (!node) return `section of unknown span ${s.spanId}`;
      const own = node.span;
      // Walk up to the root, checking no consumer-under-producer edge is crossed.
      while (node.parent) {
        if (node.span.kind === 5 && node.parent.span.kind === 4) return `${s.spanId} is under a consumer of a producer`;
        node = node.parent;
      }
      if (node !== root) break;
      if (!(s.endMs > s.startMs)) return `empty section ${JSON.stringify(s)}`;
      if (s.startMs !== at) return `gap or overlap before ${JSON.stringify(s)} (expected start ${at})`;
      if (s.startMs < own.startMs || s.endMs > spanEndMs(own)) return `${JSON.stringify(s)} outside its span`;
      at = s.endMs;
      total += s.endMs - s.startMs;
    }
    const duration = Math.max(0, root.span.durationMs);
    if (duration === 0 ? i !== first : at !== end) return `root ${root.span.spanId} covered up to ${at}, not ${end}`;
    if (Math.abs(total - duration) > 1e-9 * duration) return `root ${root.span.spanId}: sections sum to ${total}, not ${duration}`;
  }
  return i === sections.length ? null : `sections out of root order from #${i}`;
}

describe("criticalPath properties", () => {
  it("covers every root exactly with contiguous sections of its own subtree, over 3,000 random traces", () => {
    const r = mulberry32(20240611);
    let sectionsSeen = 0;
    for (let t = 0; t < 3000; t++) {
      const spans = randomTrace(r, 1 + Math.floor(r() * 40), t % 2 === 0);
      const tree = buildTraceTree(spans);
      const { sections } = criticalPath(tree);
      sectionsSeen += sections.length;
      const broken = violation(tree, sections) ?? (JSON.stringify(sections) === JSON.stringify(referencePath(tree)) ? null : "differs from the reference walk");
      for (const [id, v] of selfTimes(tree)) {
        if (!(v >= 0 && v <= Math.max(0, tree.byId.get(id)!.span.durationMs))) throw new Error(`trace #${t}: self time of ${id} is ${v}`);
      }
      if (broken) throw new Error(`trace #${t}: ${broken}\n${JSON.stringify(spans)}`);
    }
    expect(sectionsSeen).toBeGreaterThan(10_000);
  });

  it("reports broken invariants (the checker itself works)", () => {
    const tree = buildTraceTree([span("a", "", 0, 10), span("b", "a", 2, 3)]);
    expect(violation(tree, [sec("a", 0, 2), sec("b", 2, 5), sec("a", 5, 10)])).toBeNull();
    expect(violation(tree, [sec("a", 0, 2), sec("b", 2, 4), sec("a", 5, 10)])).toMatch(/gap/);
    expect(violation(tree, [sec("a", 0, 2), sec("b", 2, 5)])).toMatch(/covered up to 5/);
    expect(violation(tree, [sec("a", 0, 2), sec("b", 2, 6), sec("a", 6, 10)])).toMatch(/outside/);
  });
});

function bigTrace(n: number): TraceSpan[] {
  const r = mulberry32(7);
  const spans: TraceSpan[] = [span("s0", "", 0, 100_000)];
  for (let i = 1; i < n; i++) {
    const p = spans[Math.floor(Math.pow(r(), 3) * i)]; // skewed: some wide fan-outs, some deep chains
    const lo = p.startMs + r() * p.durationMs;
    spans.push(span(`s${i}`, p.spanId, lo, r() * (p.startMs + p.durationMs - lo) * 1.1, { kind: Math.floor(r() * 6) }));
  }
  return spans;
}

function timeIt(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

describe("criticalPath performance", () => {
  it.each([
    ["a 10,000-span bushy trace", bigTrace(10_000)],
    ["a 10,000-deep chain", Array.from({ length: 10_000 }, (_, i) => span(`s${i}`, i === 0 ? "" : `s${i - 1}`, i, 30_000 - 2 * i))],
  ])("analyses %s in well under 100 ms", (_, spans) => {
    // Best of three: the first run also pays for JIT compilation, which a running collector has
    // long since done; a quadratic step would still take seconds on every run.
    const runs: number[] = [];
    for (let k = 0; k < 3; k++) {
      runs.push(timeIt(() => {
        const tree = buildTraceTree(spans);
        const { sections } = criticalPath(tree);
        selfTimes(tree);
        criticalPathByOperation(tree, sections);
      }));
    }
    expect(Math.min(...runs)).toBeLessThan(100);
  });
});
