import { describe, expect, it } from "vitest";
import { criticalPath } from "./critical-path";
import { tracePatterns } from "./trace-patterns";
import { buildTraceTree, type TraceSpan } from "./trace-tree";

const span = (spanId: string, parentSpanId: string, name: string, kind: number, startMs: number, durationMs: number, service = "shop"): TraceSpan =>
  ({ spanId, parentSpanId, service, name, kind, startMs, durationMs, statusCode: 0 });

function patternsOf(spans: TraceSpan[]) {
  const tree = buildTraceTree(spans);
  const own = new Map<string, number>();
  for (const s of criticalPath(tree).sections) own.set(s.spanId, (own.get(s.spanId) ?? 0) + s.endMs - s.startMs);
  return tracePatterns(tree, own);
}

describe("tracePatterns", () => {
  it("finds an N+1: six identical queries under one parent, with the critical-path time they cost", () => {
    const spans = [span("r", "", "GET /cart", 2, 0, 100), ...Array.from({ length: 6 }, (_, i) => span(`q${i}`, "r", "SELECT item", 3, 10 + i * 10, 8))];
    expect(patternsOf(spans)).toEqual([{ kind: "n_plus_one", service: "shop", operation: "SELECT item", spanKind: 3, spanId: "q0", calls: 6, ms: 48 }]);
  });

  it("does not call four repeated queries an N+1, nor repeated calls that are not client calls", () => {
    expect(patternsOf([span("r", "", "GET /cart", 2, 0, 100), ...Array.from({ length: 4 }, (_, i) => span(`q${i}`, "r", "SELECT", 3, i * 10, 8))])).toEqual([]);
    expect(patternsOf([span("r", "", "GET /cart", 2, 0, 100), ...Array.from({ length: 6 }, (_, i) => span(`q${i}`, "r", "render", 1, i * 10, 8))])).toEqual([]);
  });

  it("finds sequential calls to different downstreams and the time parallel calls would save", () => {
    const spans = [
      span("r", "", "POST /order", 2, 0, 100),
      span("a", "r", "GET /user", 3, 5, 20), span("as", "a", "GET /user", 2, 6, 18, "users"),
      span("b", "r", "GET /price", 3, 30, 30), span("bs", "b", "GET /price", 2, 31, 28, "pricing"),
      span("c", "r", "GET /stock", 3, 65, 25), span("cs", "c", "GET /stock", 2, 66, 23, "stock"),
    ];
    // Run together they would take 30 ms instead of 20 + 30 + 25.
    expect(patternsOf(spans)).toEqual([{ kind: "sequential_calls", service: "shop", operation: "POST /order", spanKind: 2, spanId: "r", calls: 3, ms: 45 }]);
  });

  it("does not report calls that already overlap, or that go to the same downstream", () => {
    expect(patternsOf([
      span("r", "", "POST /order", 2, 0, 100),
      span("a", "r", "GET /user", 3, 5, 50), span("b", "r", "GET /price", 3, 30, 60),
    ])).toEqual([]);
    expect(patternsOf([
      span("r", "", "POST /order", 2, 0, 100),
      span("a", "r", "GET /user/1", 3, 5, 20), span("as", "a", "GET /user", 2, 6, 18, "users"),
      span("b", "r", "GET /user/2", 3, 30, 20), span("bs", "b", "GET /user", 2, 31, 18, "users"),
    ])).toEqual([]);
  });
});
