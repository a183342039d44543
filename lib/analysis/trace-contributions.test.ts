import { describe, expect, it } from "vitest";
import { traceContributions } from "./trace-contributions";

const span = (spanId: string, parentSpanId: string, name: string, kind: number, startMs: number, durationMs: number, service = "api") =>
  ({ spanId, parentSpanId, service, name, kind, startMs, durationMs, statusCode: 0 });

describe("traceContributions", () => {
  it("adds critical-path and self time per operation, keyed like the ingest rollups", () => {
    const t0 = 60_000 * 1000 + 59_990; // the root starts 10 ms before a minute boundary
    const out = traceContributions([
      span("r", "", "GET /a", 2, t0, 100),
      span("q1", "r", "SELECT", 3, t0 + 0, 10),
      span("q2", "r", "SELECT", 3, t0 + 10, 10),
      span("s", "r", "slow side call", 3, t0 + 30, 40),
      span("d", "r", "GET /b", 3, t0 + 25, 70),
      span("b", "d", "GET /b", 2, t0 + 30, 60, "backend"),
    ]);
    const by = (service: string, operation: string, kind: number) =>
      out.filter((c) => c.service === service && c.operation === operation && c.kind === kind);
    // Root: 20–25 and 95–100 on the path and uncovered by any child.
    // Its first SELECT and GET /b run one after the other while it waits: in parallel, 10 ms less.
    expect(by("api", "GET /a", 2)).toEqual([{ minute: 1000, service: "api", operation: "GET /a", kind: 2, entry: 1, criticalMs: 10, selfMs: 10, traceMs: 100,
      nPlusOneTraces: 0, nPlusOneCalls: 0, nPlusOneMs: 0, sequentialTraces: 1, sequentialSavingMs: 10 }]);
    // The two SELECTs start in different minutes: one row each, as the ingest rollups have; the
    // trace's 100 ms count once, in the first.
    expect(by("api", "SELECT", 3).map((c) => [c.minute, c.criticalMs, c.selfMs, c.entry, c.traceMs])).toEqual([[1000, 10, 10, 0, 100], [1001, 10, 10, 0, 0]]);
    expect(by("api", "slow side call", 3)).toMatchObject([{ criticalMs: 0, selfMs: 40 }]);
    expect(by("api", "GET /b", 3)).toMatchObject([{ criticalMs: 10, selfMs: 10 }]);
    expect(by("backend", "GET /b", 2)).toMatchObject([{ criticalMs: 60, selfMs: 60, entry: 1 }]);
    expect(out.reduce((s, c) => s + c.criticalMs, 0)).toBeCloseTo(100, 9);
  });

  it("keys rows by start order whatever the input order, and credits hits to the row of their span", () => {
    const t0 = 60_000 * 500 + 59_950; // the SELECTs straddle a minute boundary
    const out = traceContributions([
      span("q5", "r", "SELECT", 3, t0 + 80, 10), span("q4", "r", "SELECT", 3, t0 + 60, 10), span("q3", "r", "SELECT", 3, t0 + 40, 10),
      span("q2", "r", "SELECT", 3, t0 + 20, 10), span("q1", "r", "SELECT", 3, t0, 10), span("r", "", "GET /a", 2, t0 - 5, 100),
    ]);
    expect(out.map((c) => [c.operation, c.minute, c.criticalMs, c.selfMs, c.traceMs, c.nPlusOneTraces, c.nPlusOneCalls, c.nPlusOneMs])).toEqual([
      ["GET /a", 500, 50, 50, 100, 0, 0, 0],
      // The N+1 is keyed on its first call, q1, in minute 500; the trace's time goes to that first minute too.
      ["SELECT", 500, 30, 30, 100, 1, 5, 50],
      ["SELECT", 501, 20, 20, 0, 0, 0, 0],
    ]);
  });
});
