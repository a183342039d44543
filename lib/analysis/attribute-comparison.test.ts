import { describe, expect, it } from "vitest";
import { type ComparedSpan, attributeValueText, compareAttributes } from "./attribute-comparison";

function span(durationMs: number, attributes: Record<string, unknown>, resource: Record<string, unknown>, error = false): ComparedSpan {
  return { durationMs, error, attributes, resource };
}

/**
 * 4 slow spans (≥ 120 ms), all running "SELECT * FROM big", 3 of them on pod-3, 2 tagged ["a","b"];
 * 6 fast ones with mixed statements and pods. Every span has its own request id and the same
 * service.version.
 */
function fixture(): ComparedSpan[] {
  let id = 0;
  const mk = (ms: number, statement: string, pod: string, extra: Record<string, unknown> = {}, error = false) =>
    span(ms, { "db.statement": statement, "request.id": `req-${id++}`, ...extra }, { "k8s.pod.name": pod, "service.version": "1.4.2" }, error);
  return [
    mk(300, "SELECT * FROM big", "pod-3", { tags: ["a", "b"] }),
    mk(250, "SELECT * FROM big", "pod-3", { tags: ["a", "b"] }),
    mk(200, "SELECT * FROM big", "pod-3"),
    mk(150, "SELECT * FROM big", "pod-1"),
    mk(20, "SELECT * FROM big", "pod-1"),
    mk(15, "SELECT 1", "pod-1"),
    mk(12, "SELECT 1", "pod-2"),
    mk(10, "SELECT 1", "pod-2", {}, true),
    mk(9, "SELECT * FROM small", "pod-3", {}, true),
    mk(8, "SELECT * FROM small", "pod-3"),
  ];
}

describe("compareAttributes", () => {
  it("ranks the values over-represented among the slow spans, with exact shares", () => {
    const r = compareAttributes(fixture(), (s) => s.durationMs >= 120);
    expect(r.flagged).toBe(4);
    expect(r.baseline).toBe(6);
    expect(r.attributes).toEqual([
      { key: "db.statement", value: "SELECT * FROM big", flaggedShare: 1, baselineShare: 1 / 6, lift: 6, flaggedCount: 4, baselineCount: 1 },
      { key: "tags", value: '["a","b"]', flaggedShare: 0.5, baselineShare: 0, lift: null, flaggedCount: 2, baselineCount: 0 },
      { key: "resource.k8s.pod.name", value: "pod-3", flaggedShare: 0.75, baselineShare: 2 / 6, lift: 2.25, flaggedCount: 3, baselineCount: 2 },
    ]);
  });

  it("skips per-span ids, values shared by everyone, and values on too few flagged spans", () => {
    const keys = compareAttributes(fixture(), (s) => s.durationMs >= 120).attributes.map((a) => `${a.key}=${a.value}`);
    expect(keys.some((k) => k.startsWith("request.id="))).toBe(false);
    expect(keys.some((k) => k.startsWith("resource.service.version="))).toBe(false);
    expect(keys).not.toContain("resource.k8s.pod.name=pod-1"); // on 1 slow span only (and under-represented)
    // With a minimum of 3 flagged spans, the tags (on 2) go too.
    const strict = compareAttributes(fixture(), (s) => s.durationMs >= 120, { minFlaggedCount: 3 });
    expect(strict.attributes.map((a) => a.key)).toEqual(["db.statement", "resource.k8s.pod.name"]);
  });

  it("compares failing spans with the rest", () => {
    const r = compareAttributes(fixture(), (s) => s.error);
    expect(r.flagged).toBe(2);
    expect(r.baseline).toBe(8);
    // Errors: one "SELECT 1" on pod-2, one "SELECT * FROM small" on pod-3: no value is on 2 failing spans.
    expect(r.attributes).toEqual([]);
    const loose = compareAttributes(fixture(), (s) => s.error, { minFlaggedCount: 1 });
    // Two values tie at 0.5 vs 1/8 (lift 4): ordered by key. "SELECT 1" is on 2 of 8 others: lift 2.
    expect(loose.attributes.slice(0, 3)).toEqual([
      { key: "db.statement", value: "SELECT * FROM small", flaggedShare: 0.5, baselineShare: 1 / 8, lift: 4, flaggedCount: 1, baselineCount: 1 },
      { key: "resource.k8s.pod.name", value: "pod-2", flaggedShare: 0.5, baselineShare: 1 / 8, lift: 4, flaggedCount: 1, baselineCount: 1 },
      { key: "db.statement", value: "SELECT 1", flaggedShare: 0.5, baselineShare: 2 / 8, lift: 2, flaggedCount: 1, baselineCount: 2 },
    ]);
  });

  it("keeps at most `limit` values and answers empty input with zeros", () => {
    const spans = Array.from({ length: 40 }, (_, i) =>
      span(i < 20 ? 500 : 5, Object.fromEntries(Array.from({ length: 30 }, (_, k) => [`k${String(k).padStart(2, "0")}`, i < 20 ? "slow" : "fast"])), {}));
    const r = compareAttributes(spans, (s) => s.durationMs > 100);
    expect(r.attributes).toHaveLength(20);
    expect(r.attributes[0]).toMatchObject({ key: "k00", value: "slow", flaggedShare: 1, baselineShare: 0, flaggedCount: 20 });
    expect(compareAttributes(spans, (s) => s.durationMs > 100, { limit: 3 }).attributes).toHaveLength(3);
    expect(compareAttributes([], () => true)).toEqual({ flagged: 0, baseline: 0, attributes: [] });
    expect(compareAttributes(spans, () => false).attributes).toEqual([]);
  });

  it("writes values as strings, arrays and objects as JSON", () => {
    expect(attributeValueText("x")).toBe("x");
    expect(attributeValueText(42)).toBe("42");
    expect(attributeValueText(true)).toBe("true");
    expect(attributeValueText({ a: 1 })).toBe('{"a":1}');
    expect(attributeValueText(null)).toBeNull();
  });
});
