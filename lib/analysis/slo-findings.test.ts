import { describe, expect, it } from "vitest";
import type { BurnRateWindow } from "./slo";
import { errorBudgetFindings, type SloBurn } from "./slo-findings";

const rates = (r: Partial<Record<BurnRateWindow, number>>) => ({ "5m": 0, "30m": 0, "1h": 0, "2h": 0, "6h": 0, "1d": 0, "3d": 0, ...r });

function burn(over: Partial<SloBurn> = {}): SloBurn {
  return {
    slo: { id: "s1", name: "checkout availability", service: "checkout", sli: "availability", windowDays: 30 },
    state: "burning fast", burnRates: rates({ "5m": 20, "30m": 16, "1h": 14.4, "2h": 8, "6h": 2.5 }), errorBudgetRemaining: 0.62,
    rulesMet: ["fast burn 1h/5m"], bad: 120, total: 8000, ...over,
  };
}

describe("errorBudgetFindings", () => {
  it("reports a burning SLO with its evidence and a link to it", () => {
    const [f] = errorBudgetFindings([burn()], { searchWindow: "1h" });
    expect(f).toMatchObject({ id: "error_budget_burn:s1", kind: "error_budget_burn", service: "checkout", score: 120_000 });
    expect(f.summary).toMatch(/^SLO "checkout availability" is burning fast: Burning the error budget 2\.5× faster than sustainable over the last 6h/);
    expect(f.evidence.sloUrl).toBe("/slos/s1");
    expect(f.evidence.traceSearch).toBe("/traces?service=checkout&window=1h&errorsOnly=true");
    expect(f.evidence.test).toBe("120 failed requests of 8,000 in this window; alert rules met: fast burn 1h/5m");
  });

  it("leaves out SLOs that are ok or recovering", () => {
    expect(errorBudgetFindings([burn({ state: "ok" }), burn({ state: "recovering" })], { searchWindow: "1h" })).toEqual([]);
  });

  it("scores slow requests of a latency SLO by its threshold and searches for them", () => {
    const slo = { id: "s2", name: "search latency", service: "search", operation: "GET /q", sli: "latency" as const, thresholdMs: 300, windowDays: 7 };
    const [f] = errorBudgetFindings([burn({ slo, state: "burning", bad: 10 })], { searchWindow: "6h" });
    expect(f.score).toBe(3000);
    expect(f.operation).toBe("GET /q");
    expect(f.evidence.traceSearch).toBe("/traces?service=search&operation=GET+%2Fq&window=6h&minDurationMs=300");
    expect(f.evidence.test).toMatch(/^10 requests slower than 300 ms of 8,000/);
  });

  it("speaks of the 1 h window when no window burns at 1× or more", () => {
    const [f] = errorBudgetFindings([burn({ state: "burning", burnRates: rates({ "1h": 0.8 }) })], { searchWindow: "1h" });
    expect(f.summary).toMatch(/over the last 1h/);
  });
});
