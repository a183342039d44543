import { describe, expect, it } from "vitest";
import { mulberry32 } from "../testing/prng";
import { RELATIVE_ERROR, bucketIndex, bucketValue } from "./histogram";
import {
  BURN_RATE_WINDOWS,
  budgetBurnDown,
  burnRate,
  burnRates,
  burnState,
  defaultRules,
  describeBurn,
  errorBudgetRemaining,
  evaluateRule,
  latencyGoodBucketLimit,
  periodReports,
  stepAlert,
  timeToExhaustionHours,
  windowLabel,
  windowTotals,
  type BurnRateWindow,
} from "./slo";
import type { AlertRule, SliMinute } from "./slo-types";

const NOW = 29_000_000; // an epoch minute in 2025
const MONTH = 30 * 1440;

/** `count` consecutive minutes ending at `lastMinute`, each with `total` events of which `bad` failed. */
function minutes(lastMinute: number, count: number, total: number, bad: number): SliMinute[] {
  return Array.from({ length: count }, (_, i) => ({ minute: lastMinute - count + 1 + i, good: total - bad, total }));
}

/**
 * The workbook's example: a 99.9 % SLO, 30 days at 1250 requests a minute, perfect except for the
 * last hour, which fails 1.44 % (18 a minute) — a 14.4× burn that spends 2 % of the budget.
 */
const workbook = [...minutes(NOW - 60, MONTH - 60, 1250, 0), ...minutes(NOW, 60, 1250, 18)];

const rates = (r: Partial<Record<BurnRateWindow, number>>): Record<BurnRateWindow, number> => ({ "5m": 0, "30m": 0, "1h": 0, "2h": 0, "6h": 0, "1d": 0, "3d": 0, ...r });

const utcMinute = (iso: string) => Math.floor(Date.parse(iso) / 60_000);

describe("windows and burn rates", () => {
  it("labels windows in the largest whole unit, matching the burn-rate window names", () => {
    for (const [name, m] of Object.entries(BURN_RATE_WINDOWS)) expect(windowLabel(m)).toBe(name);
    expect(windowLabel(90)).toBe("90m");
    expect(windowLabel(36 * 60)).toBe("36h");
  });

  it("sums an inclusive range of a sparse, unsorted series whose points may be hours", () => {
    const series = [
      { minute: 120, good: 50, total: 60 }, // an hour's bucket
      { minute: 10, good: 1, total: 2 },
      { minute: 119, good: 7, total: 9 },
      { minute: 9, good: 100, total: 100 },
    ];
    expect(windowTotals(series, 10, 120)).toEqual({ good: 58, total: 71 });
    expect(windowTotals(series, 11, 119)).toEqual({ good: 7, total: 9 });
    expect(windowTotals(series, 121, 200)).toEqual({ good: 0, total: 0 });
  });

  it("computes burn rate as error ratio over the budgeted ratio, 0 without traffic", () => {
    expect(burnRate(990, 1000, 0.99)).toBeCloseTo(1, 12);
    expect(burnRate(0, 10, 0.9)).toBeCloseTo(10, 12);
    expect(burnRate(1000, 1000, 0.999)).toBe(0);
    expect(burnRate(0, 0, 0.999)).toBe(0);
  });

  it("reproduces the workbook: 14.4× burn for 1 h spends 2 % of a 30-day 99.9 % budget", () => {
    const { good, total } = windowTotals(workbook, NOW - MONTH + 1, NOW);
    expect(total).toBe(54_000_000);
    expect(errorBudgetRemaining(good, total, 0.999)).toBeCloseTo(0.98, 10);
    const r = burnRates(workbook, NOW, 0.999);
    expect(r["5m"]).toBeCloseTo(14.4, 9);
    expect(r["30m"]).toBeCloseTo(14.4, 9);
    expect(r["1h"]).toBeCloseTo(14.4, 9);
    expect(r["2h"]).toBeCloseTo(7.2, 9);
    expect(r["6h"]).toBeCloseTo(2.4, 9);
    expect(r["1d"]).toBeCloseTo(0.6, 9);
    expect(r["3d"]).toBeCloseTo(0.2, 9);
  });

  it("covers (now − N, now]: the minute N before now and future minutes are outside", () => {
    const series = [
      { minute: NOW - 5, good: 0, total: 10 },
      { minute: NOW + 1, good: 0, total: 10 },
      { minute: NOW - 4, good: 10, total: 10 },
    ];
    const r = burnRates(series, NOW, 0.99);
    expect(r["5m"]).toBe(0);
    expect(r["30m"]).toBeCloseTo(50, 9);
  });

  it("weights a sparse window by its events, not its minutes", () => {
    // One busy minute with 2 % errors, one quiet perfect minute and 58 minutes without traffic.
    const series = [{ minute: NOW - 40, good: 980, total: 1000 }, { minute: NOW - 3, good: 1, total: 1 }];
    expect(burnRates(series, NOW, 0.99)["1h"]).toBeCloseTo(20 / 1001 / 0.01, 9);
  });

  it("does not burn budget in windows without traffic", () => {
    const series = minutes(NOW - 10, 50, 100, 100); // a total outage that ended 10 minutes ago
    const r = burnRates(series, NOW, 0.999);
    expect(r["5m"]).toBe(0);
    expect(r["1h"]).toBeCloseTo(1000, 6);
    expect(Object.values(burnRates([], NOW, 0.999))).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(errorBudgetRemaining(0, 0, 0.999)).toBe(1);
  });

  it("lets the budget remaining go negative when overspent", () => {
    expect(errorBudgetRemaining(1000, 1000, 0.99)).toBe(1);
    expect(errorBudgetRemaining(995, 1000, 0.99)).toBeCloseTo(0.5, 10);
    expect(errorBudgetRemaining(980, 1000, 0.99)).toBeCloseTo(-1, 10);
  });

  it("computes the time to exhaustion from the burn rate and window", () => {
    expect(timeToExhaustionHours(1, 14.4, 30)).toBeCloseTo(50, 9); // the workbook: 14.4× empties a full budget in 50 h
    expect(timeToExhaustionHours(1, 1, 30)).toBeCloseTo(720, 9); // 1× lasts exactly the window
    expect(timeToExhaustionHours(0.62, 14.4, 30)).toBeCloseTo(31, 9);
    expect(timeToExhaustionHours(0.5, 2, 7)).toBeCloseTo(42, 9);
    expect(timeToExhaustionHours(0.5, 0, 30)).toBeUndefined();
    expect(timeToExhaustionHours(0, 5, 30)).toBe(0);
    expect(timeToExhaustionHours(-0.2, 0, 30)).toBe(0);
  });
});

describe("alert rules", () => {
  it("gives the workbook's rules for a 30-day window", () => {
    expect(defaultRules(30)).toEqual([
      { name: "fast burn 1h/5m", severity: "page", factor: 14.4, longWindowMinutes: 60, shortWindowMinutes: 5, forMinutes: 0 },
      { name: "fast burn 6h/30m", severity: "page", factor: 6, longWindowMinutes: 360, shortWindowMinutes: 30, forMinutes: 0 },
      { name: "slow burn 3d/6h", severity: "ticket", factor: 1, longWindowMinutes: 4320, shortWindowMinutes: 360, forMinutes: 0 },
    ]);
  });

  it("scales the factors to 28- and 7-day windows", () => {
    expect(defaultRules(28).map((r) => r.factor)).toEqual([13.44, 5.6, 0.93]);
    expect(defaultRules(7).map((r) => r.factor)).toEqual([3.36, 1.4, 0.23]);
    expect(defaultRules(7).map((r) => r.name)).toEqual(defaultRules(30).map((r) => r.name));
  });

  it("meets the fast-burn rule in the workbook example, exactly at its factor, but not the 6 h one", () => {
    const [fast1h, fast6h, slow] = defaultRules(30);
    const e = evaluateRule(fast1h, workbook, NOW, 0.999, 100);
    expect(e.longBurnRate).toBeCloseTo(14.4, 9);
    expect(e.shortBurnRate).toBeCloseTo(14.4, 9);
    expect(e.longTotal).toBe(75_000);
    expect(e.conditionMet).toBe(true);
    expect(evaluateRule(fast6h, workbook, NOW, 0.999, 100)).toMatchObject({ conditionMet: false });
    expect(evaluateRule(slow, workbook, NOW, 0.999, 100)).toMatchObject({ conditionMet: false });
  });

  it("requires both the long and the short window to burn", () => {
    const [fast1h] = defaultRules(30);
    // Burned hard for 50 minutes, fine for the last 10: the long window still burns, the short does not.
    const calmed = [...minutes(NOW - 10, 50, 100, 10), ...minutes(NOW, 10, 100, 0)];
    const c = evaluateRule(fast1h, calmed, NOW, 0.999, 0);
    expect(c.longBurnRate).toBeGreaterThan(14.4);
    expect(c.shortBurnRate).toBe(0);
    expect(c.conditionMet).toBe(false);
    // A blip in the last 5 minutes of an otherwise perfect hour.
    const blip = [...minutes(NOW - 5, 55, 1000, 0), ...minutes(NOW, 5, 1000, 20)];
    const b = evaluateRule(fast1h, blip, NOW, 0.999, 0);
    expect(b.shortBurnRate).toBeCloseTo(20, 9);
    expect(b.longBurnRate).toBeLessThan(14.4);
    expect(b.conditionMet).toBe(false);
  });

  it("does not fire on too little traffic (the minimum-events guard)", () => {
    const [fast1h] = defaultRules(30);
    const quiet = minutes(NOW, 5, 10, 1); // 50 requests in the hour, 10 % failing
    expect(evaluateRule(fast1h, quiet, NOW, 0.999, 51)).toMatchObject({ longTotal: 50, conditionMet: false });
    expect(evaluateRule(fast1h, quiet, NOW, 0.999, 50)).toMatchObject({ longTotal: 50, conditionMet: true });
  });
});

describe("alert state machine", () => {
  const T = 1_700_000_000_000;

  it("stays inactive without the condition", () => {
    expect(stepAlert({ phase: "inactive" }, false, T, 0)).toEqual({ state: { phase: "inactive" } });
  });

  it("fires at the first evaluation when forMinutes is 0, once, then resolves", () => {
    const first = stepAlert({ phase: "inactive" }, true, T, 0);
    expect(first).toEqual({ state: { phase: "firing", pendingSinceMs: T, firingSinceMs: T }, event: "firing" });
    const again = stepAlert(first.state, true, T + 60_000, 0);
    expect(again).toEqual({ state: first.state });
    expect(stepAlert(again.state, false, T + 120_000, 0)).toEqual({ state: { phase: "inactive" }, event: "resolved" });
  });

  it("waits forMinutes in pending before firing", () => {
    const p = stepAlert({ phase: "inactive" }, true, T, 5);
    expect(p).toEqual({ state: { phase: "pending", pendingSinceMs: T } });
    const stillPending = stepAlert(p.state, true, T + 4 * 60_000, 5);
    expect(stillPending).toEqual({ state: { phase: "pending", pendingSinceMs: T } });
    const firing = stepAlert(stillPending.state, true, T + 5 * 60_000, 5);
    expect(firing).toEqual({ state: { phase: "firing", pendingSinceMs: T, firingSinceMs: T + 5 * 60_000 }, event: "firing" });
    expect(stepAlert(firing.state, true, T + 6 * 60_000, 5).event).toBeUndefined();
    expect(stepAlert(firing.state, false, T + 7 * 60_000, 5)).toEqual({ state: { phase: "inactive" }, event: "resolved" });
  });

  it("drops a pending alert whose condition clears, without any event, and restarts the wait", () => {
    const p = stepAlert({ phase: "inactive" }, true, T, 10);
    const cleared = stepAlert(p.state, false, T + 3 * 60_000, 10);
    expect(cleared).toEqual({ state: { phase: "inactive" } });
    const again = stepAlert(cleared.state, true, T + 12 * 60_000, 10);
    expect(again).toEqual({ state: { phase: "pending", pendingSinceMs: T + 12 * 60_000 } });
  });
});

describe("burnState", () => {
  const [fast1h, fast6h, slow] = defaultRules(30);
  const none = [fast1h, fast6h, slow].map((rule) => ({ rule, conditionMet: false }));
  const met = (rule: AlertRule) => none.map((x) => (x.rule === rule ? { rule, conditionMet: true } : x));

  it("burns fast when a page rule's condition holds", () => {
    expect(burnState({ rules: met(fast6h), burnRates: rates({ "5m": 7, "30m": 7, "1h": 7, "6h": 7 }) })).toBe("burning fast");
  });

  it("burns when a ticket rule holds, or the 1 h and 5 m windows both exceed 1", () => {
    expect(burnState({ rules: met(slow), burnRates: rates({ "6h": 1.2, "3d": 1.1 }) })).toBe("burning");
    expect(burnState({ rules: none, burnRates: rates({ "5m": 1.5, "1h": 1 }) })).toBe("burning");
    expect(burnState({ rules: none, burnRates: rates({ "5m": 0.5, "1h": 3 }) })).not.toBe("burning");
  });

  it("recovers when the short windows are calm but the long ones still show the burn", () => {
    expect(burnState({ rules: none, burnRates: rates({ "5m": 0.2, "30m": 0.9, "1h": 3, "6h": 2 }) })).toBe("recovering");
    expect(burnState({ rules: none, burnRates: rates({ "1d": 1.1 }) })).toBe("recovering");
    expect(burnState({ rules: none, burnRates: rates({ "30m": 1.2, "6h": 2 }) })).toBe("ok");
  });

  it("is ok when nothing burns", () => {
    expect(burnState({ rules: none, burnRates: rates({ "5m": 0.9, "1h": 0.5, "3d": 0.99 }) })).toBe("ok");
  });
});

describe("describeBurn", () => {
  it("says how fast, how much is left and when it runs out", () => {
    expect(describeBurn(14.4, "1h", 0.62, 30)).toBe(
      "Burning the error budget 14.4× faster than sustainable over the last 1h; 62.0% of the 30-day budget is left, gone in 31 h at this rate.",
    );
  });

  it("gives long times in days and slow burns as a fraction of the sustainable rate", () => {
    expect(describeBurn(2, "6h", 0.5, 30)).toBe(
      "Burning the error budget 2× faster than sustainable over the last 6h; 50.0% of the 30-day budget is left, gone in 7.5 days at this rate.",
    );
    expect(describeBurn(0.5, "1d", 0.9, 28)).toBe(
      "Burning the error budget at 0.5× the sustainable rate over the last 1d; 90.0% of the 28-day budget is left, gone in 50.4 days at this rate.",
    );
  });

  it("handles no burn and an exhausted budget", () => {
    expect(describeBurn(0, "1h", 0.62, 30)).toBe("Not burning the error budget over the last 1h; 62.0% of the 30-day budget is left.");
    expect(describeBurn(3, "1h", -0.125, 30)).toBe(
      "Burning the error budget 3× faster than sustainable over the last 1h; the 30-day budget is exhausted (−12.5%).",
    );
  });
});

describe("latencyGoodBucketLimit", () => {
  it("is the highest bucket whose reported value is within the threshold", () => {
    for (const t of [0.5, 1, 10, 99.9, 100, 250, 1000, 12_345]) {
      const limit = latencyGoodBucketLimit(t);
      expect(bucketValue(limit)).toBeLessThanOrEqual(t);
      expect(bucketValue(limit + 1)).toBeGreaterThan(t);
    }
  });

  it("counts good only spans near or below the threshold, and bad only spans near or above it", () => {
    const r = mulberry32(42);
    for (let n = 0; n < 20_000; n++) {
      const threshold = Math.exp(r() * 10); // 1 ms … 22 s
      const d = threshold * (0.9 + 0.2 * r());
      const good = bucketIndex(d) <= latencyGoodBucketLimit(threshold);
      // Bucket bounds give threshold/(1−α) ≈ (1+α)·threshold and threshold/(1+α) ≈ (1−α)·threshold.
      if (good) expect(d).toBeLessThanOrEqual((threshold / (1 - RELATIVE_ERROR)) * (1 + 1e-12));
      else expect(d).toBeGreaterThan((threshold / (1 + RELATIVE_ERROR)) * (1 - 1e-12));
      if (d <= threshold * (1 - RELATIVE_ERROR) * 0.999) expect(good).toBe(true);
      if (d >= threshold * (1 + RELATIVE_ERROR) * 1.001) expect(good).toBe(false);
    }
  });
});

describe("budgetBurnDown", () => {
  it("falls from 1 to the budget remaining now", () => {
    const points = budgetBurnDown(workbook, 30, NOW, 0.999, 60);
    expect(points).toHaveLength(720);
    expect(points[0].t).toBe((NOW - MONTH + 1) * 60_000);
    expect(points[1].t - points[0].t).toBe(3_600_000);
    expect(points[0]).toEqual({ t: points[0].t, sli: 1, budgetRemaining: 1 });
    expect(points[718].budgetRemaining).toBe(1);
    expect(points[719].budgetRemaining).toBeCloseTo(0.98, 10);
    expect(points[719].sli).toBeCloseTo(1 - 0.0144, 12);
  });

  it("leaves steps without traffic null, ignores points outside the window and keeps a short last step", () => {
    const series = [
      { minute: NOW - 1440, good: 0, total: 1000 }, // just before the 1-day window
      { minute: NOW - 1439, good: 90, total: 100 }, // the window's first minute
      { minute: NOW, good: 800, total: 900 },
      { minute: NOW + 1, good: 0, total: 1000 },
    ];
    const points = budgetBurnDown(series, 1, NOW, 0.9, 420); // 1440 = 3 × 420 + 180
    expect(points).toHaveLength(4);
    expect(points.map((p) => p.sli)).toEqual([0.9, null, null, 800 / 900]);
    expect(points[0].budgetRemaining).toBeCloseTo(0.9, 12); // 10 of 100 allowed bad events
    expect(points[2].budgetRemaining).toBeCloseTo(0.9, 12);
    expect(points[3].budgetRemaining).toBeCloseTo(errorBudgetRemaining(890, 1000, 0.9), 12);
    expect(points[3].budgetRemaining).toBeCloseTo(-0.1, 12);
  });

  it("stays at 1 without any traffic", () => {
    const points = budgetBurnDown([], 7, NOW, 0.999, 1440);
    expect(points).toHaveLength(7);
    expect(points.every((p) => p.sli === null && p.budgetRemaining === 1)).toBe(true);
  });
});

describe("periodReports", () => {
  it("splits UTC calendar months at the month end, most recent first, the current one included", () => {
    const series = [
      { minute: utcMinute("2026-10-31T23:59:00Z"), good: 90, total: 100 },
      { minute: utcMinute("2026-11-01T00:00:00Z"), good: 1000, total: 1000 },
      { minute: utcMinute("2026-11-25T12:00:00Z"), good: 999, total: 1000 },
      { minute: utcMinute("2026-09-15T00:00:00Z"), good: 0, total: 0 }, // no traffic, no report
      { minute: utcMinute("2026-11-25T13:00:00Z"), good: 0, total: 50 }, // after now
    ];
    const reports = periodReports(series, 0.999, "month", Date.parse("2026-11-25T12:30:00Z"));
    expect(reports.map((r) => r.label)).toEqual(["2026-11", "2026-10"]);
    const [nov, oct] = reports;
    expect(nov).toMatchObject({ fromMs: Date.parse("2026-11-01T00:00:00Z"), toMs: Date.parse("2026-12-01T00:00:00Z") - 1, good: 1999, total: 2000 });
    expect(nov.sli).toBeCloseTo(0.9995, 12);
    expect(nov.budgetRemaining).toBeCloseTo(0.5, 10);
    expect(nov.budgetBlown).toBe(false);
    expect(oct).toMatchObject({ fromMs: Date.parse("2026-10-01T00:00:00Z"), toMs: Date.parse("2026-11-01T00:00:00Z") - 1, good: 90, total: 100, budgetBlown: true });
    expect(oct.budgetRemaining).toBeCloseTo(-99, 8);
  });

  it("numbers ISO weeks from Monday, across the year boundary", () => {
    const at = (iso: string) => ({ minute: utcMinute(iso), good: 1, total: 1 });
    const series = [
      at("2025-12-29T00:00:00Z"), // Monday of 2026-W01
      at("2026-01-01T10:00:00Z"),
      at("2026-11-25T00:00:00Z"),
      at("2026-12-27T23:59:00Z"), // Sunday of W52
      at("2026-12-28T00:00:00Z"), // Monday of W53
      at("2026-12-31T12:00:00Z"),
      at("2027-01-03T23:59:00Z"), // Sunday, still 2026-W53
      at("2027-01-04T00:00:00Z"), // 2027-W01
    ];
    const reports = periodReports(series, 0.99, "week", Date.parse("2027-01-05T00:00:00Z"));
    expect(reports.map((r) => [r.label, r.total])).toEqual([
      ["2027-W01", 1],
      ["2026-W53", 3],
      ["2026-W52", 1],
      ["2026-W48", 1],
      ["2026-W01", 2],
    ]);
    expect(reports[1]).toMatchObject({ fromMs: Date.parse("2026-12-28T00:00:00Z"), toMs: Date.parse("2027-01-04T00:00:00Z") - 1 });
    expect(reports[0].toMs).toBeGreaterThan(Date.parse("2027-01-05T00:00:00Z")); // the current week ends in the future
  });

  it("blows the budget only beyond the allowed bad events", () => {
    const at = (good: number, total: number) => [{ minute: utcMinute("2026-11-10T00:00:00Z"), good, total }];
    const now = Date.parse("2026-11-25T00:00:00Z");
    expect(periodReports(at(999, 1000), 0.999, "month", now)[0]).toMatchObject({ budgetBlown: false });
    expect(periodReports(at(900, 1000), 0.9, "month", now)[0]).toMatchObject({ budgetBlown: false });
    expect(periodReports(at(998, 1000), 0.999, "month", now)[0]).toMatchObject({ budgetBlown: true });
  });
});
