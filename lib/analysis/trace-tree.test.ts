import { describe, expect, it } from "vitest";
import { buildTraceTree, selfTimes, spanEndMs, type TraceSpan } from "./trace-tree";

function span(spanId: string, parentSpanId: string, startMs: number, durationMs: number, extra: Partial<TraceSpan> = {}): TraceSpan {
  return { spanId, parentSpanId, service: "api", name: spanId, kind: 1, startMs, durationMs, statusCode: 0, ...extra };
}

const ids = (nodes: { span: TraceSpan }[]) => nodes.map((n) => n.span.spanId);

describe("buildTraceTree", () => {
  it("links children to parents and sorts roots and children by start", () => {
    const tree = buildTraceTree([span("c2", "a", 50, 10), span("a", "", 0, 100), span("c1", "a", 10, 10), span("g", "c1", 12, 2)]);
    expect(ids(tree.roots)).toEqual(["a"]);
    expect(ids(tree.byId.get("a")!.children)).toEqual(["c1", "c2"]);
    expect(ids(tree.byId.get("c1")!.children)).toEqual(["g"]);
    expect(tree.byId.get("g")!.parent!.span.spanId).toBe("c1");
    for (const n of tree.byId.values()) expect(n.missingParent || n.clockSkew).toBe(false);
  });

  it("keeps the span objects as received, extra fields included", () => {
    const s = { ...span("a", "", 0, 1), attributes: { "http.route": "/x" } };
    const tree = buildTraceTree([s]);
    expect(tree.byId.get("a")!.span).toBe(s);
    expect(tree.byId.get("a")!.span.attributes).toEqual({ "http.route": "/x" });
  });

  it("makes a span whose parent is not in the trace an extra root, flagged", () => {
    const tree = buildTraceTree([span("a", "", 0, 100), span("b", "gone", 20, 5), span("c", "b", 21, 1)]);
    expect(ids(tree.roots)).toEqual(["a", "b"]);
    expect(tree.byId.get("b")!.missingParent).toBe(true);
    expect(tree.byId.get("a")!.missingParent).toBe(false);
    expect(tree.byId.get("c")!.missingParent).toBe(false);
    expect(ids(tree.byId.get("b")!.children)).toEqual(["c"]);
  });

  it("copes with a trace that has no root at all", () => {
    const tree = buildTraceTree([span("b", "gone", 20, 5), span("c", "gone2", 10, 5)]);
    expect(ids(tree.roots)).toEqual(["c", "b"]);
    expect(buildTraceTree([]).roots).toEqual([]);
  });

  it("keeps the first of duplicate span ids", () => {
    const first = span("a", "", 0, 100);
    const tree = buildTraceTree([first, span("b", "a", 1, 1), span("a", "", 500, 1)]);
    expect(tree.byId.get("a")!.span).toBe(first);
    expect(tree.roots).toHaveLength(1);
    expect(tree.duplicateSpanIds).toEqual(["a"]);
  });

  it("breaks parent cycles at their earliest span, which becomes a flagged root", () => {
    const tree = buildTraceTree([span("b", "a", 10, 5), span("a", "c", 0, 50), span("c", "b", 20, 5), span("d", "c", 21, 1)]);
    expect(ids(tree.roots)).toEqual(["a"]);
    expect(tree.byId.get("a")!.missingParent).toBe(true);
    expect(tree.byId.get("b")!.parent!.span.spanId).toBe("a");
    expect(tree.byId.get("c")!.parent!.span.spanId).toBe("b");
    expect(ids(tree.byId.get("c")!.children)).toEqual(["d"]);
  });

  it("breaks the same cycle the same way whatever the input order", () => {
    const spans = [span("b", "a", 10, 5), span("a", "c", 0, 50), span("c", "b", 20, 5)];
    for (const order of [[0, 1, 2], [2, 1, 0], [1, 2, 0]]) {
      expect(ids(buildTraceTree(order.map((i) => spans[i])).roots)).toEqual(["a"]);
    }
  });

  it("treats a span that is its own parent as a flagged root", () => {
    const tree = buildTraceTree([span("x", "x", 0, 5)]);
    expect(ids(tree.roots)).toEqual(["x"]);
    expect(tree.byId.get("x")!.missingParent).toBe(true);
    expect(tree.byId.get("x")!.children).toEqual([]);
  });

  it("flags a child outside its parent as clock skew only when the services differ", () => {
    const tree = buildTraceTree([
      span("a", "", 100, 100, { service: "web" }),
      span("early", "a", 95, 10, { service: "db" }),
      span("late", "a", 190, 20, { service: "cache" }),
      span("inside", "a", 120, 10, { service: "db" }),
      span("async", "a", 150, 200, { service: "web" }),
    ]);
    const flagged = (id: string) => tree.byId.get(id)!.clockSkew;
    expect([flagged("early"), flagged("late"), flagged("inside"), flagged("async"), flagged("a")]).toEqual([true, true, false, false, false]);
    // Shown as received.
    expect(tree.byId.get("early")!.span.startMs).toBe(95);
  });

  it("walks a 10,000-deep chain without recursion", () => {
    const spans = Array.from({ length: 10_000 }, (_, i) => span(`s${i}`, i === 0 ? "" : `s${i - 1}`, i, 20_000 - 2 * i));
    const tree = buildTraceTree(spans);
    expect(tree.roots).toHaveLength(1);
    expect(tree.byId.get("s9999")!.parent!.span.spanId).toBe("s9998");
    // A cycle through the whole chain: still terminates.
    spans[0] = span("s0", "s9999", 0, 20_000);
    const cyclic = buildTraceTree(spans);
    expect(ids(cyclic.roots)).toEqual(["s0"]);
    expect(cyclic.byId.get("s0")!.missingParent).toBe(true);
  });
});

describe("selfTimes", () => {
  it("subtracts sequential children", () => {
    const self = selfTimes(buildTraceTree([span("a", "", 0, 100), span("b", "a", 10, 30), span("c", "a", 50, 40)]));
    expect(Object.fromEntries(self)).toEqual({ a: 30, b: 30, c: 40 });
  });

  it("does not subtract overlapping children twice", () => {
    const self = selfTimes(
      buildTraceTree([span("a", "", 0, 100), span("b", "a", 10, 50), span("c", "a", 30, 50), span("d", "a", 40, 5), span("e", "a", 90, 5)]),
    );
    // Union of children: [10,80] and [90,95] = 75.
    expect(self.get("a")).toBe(25);
  });

  it("clips children to the span and is never negative", () => {
    const self = selfTimes(
      buildTraceTree([
        span("a", "", 10, 100),
        span("before", "a", 0, 20), // covers [10,20]
        span("after", "a", 100, 50), // covers [100,110]
        span("outside", "a", 200, 5),
        span("p", "", 0, 10),
        span("huge", "p", -5, 100),
      ]),
    );
    expect(self.get("a")).toBe(80);
    expect(self.get("p")).toBe(0);
    expect(self.get("huge")).toBe(100);
  });

  it("counts zero-length and negative durations as zero", () => {
    const self = selfTimes(buildTraceTree([span("a", "", 0, 0), span("b", "a", 0, 0), span("n", "", 5, -3)]));
    expect(Object.fromEntries(self)).toEqual({ a: 0, b: 0, n: 0 });
    expect(spanEndMs(span("n", "", 5, -3))).toBe(5);
  });

  it("sums to the root's duration over a fully nested trace", () => {
    const tree = buildTraceTree([span("a", "", 0, 100), span("b", "a", 10, 50), span("c", "b", 20, 10), span("d", "a", 70, 20)]);
    let total = 0;
    for (const v of selfTimes(tree).values()) total += v;
    expect(total).toBe(100);
  });

  it("uses the duration as received, not end minus start, for a childless span at an epoch time", () => {
    const start = 1_760_000_000_123.456;
    expect(selfTimes(buildTraceTree([span("a", "", start, 0.123456)])).get("a")).toBe(0.123456);
  });
});
