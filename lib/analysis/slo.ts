/**
 * SLO arithmetic: burn rates, error budgets, multi-window alert rules and their state machine,
 * burn-down charts and calendar reports (Google SRE Workbook, ch. 5, "Alerting on SLOs").
 *
 * Series are `SliMinute` points, possibly sparse (a missing minute had no traffic) and unsorted;
 * range sums key on each point's minute only, so a point may also stand for a coarser bucket.
 * A window of N minutes ending at `nowMinute` covers minutes nowMinute−N+1 … nowMinute.
 */
import { bucketIndex, bucketValue } from "./histogram";
import type { AlertEvent, AlertRule, AlertRuleState, BurnState, SliMinute } from "./slo-types";

/** The windows burn rates are reported over, in minutes. */
export const BURN_RATE_WINDOWS = { "5m": 5, "30m": 30, "1h": 60, "2h": 120, "6h": 360, "1d": 1440, "3d": 4320 } as const;
export type BurnRateWindow = keyof typeof BURN_RATE_WINDOWS;

export interface WindowTotals { good: number; total: number }

export interface RuleEvaluation { longBurnRate: number; shortBurnRate: number; longTotal: number; conditionMet: boolean }

export interface AlertStep { state: AlertRuleState; event?: AlertEvent }

export interface BurnDownPoint {
  /** Epoch ms of the step's first minute. */
  t: number;
  /** good / total within the step; null without traffic. */
  sli: number | null;
  /** Budget left after the bad events from the window start through the end of this step. */
  budgetRemaining: number;
}

export interface PeriodReport {
  /** "2026-11" or "2026-W48". */
  label: string;
  fromMs: number;
  /** Last millisecond of the period (inclusive), even when it lies in the future. */
  toMs: number;
  good: number;
  total: number;
  sli: number | null;
  budgetRemaining: number;
  budgetBlown: boolean;
}

const MINUTE_MS = 60_000;
const DAY_MINUTES = 1440;

/**
 * `rate ≥ threshold`, forgiving float noise: 1 − target is inexact in binary (1 − 0.999 ≠ 0.001),
 * so a burn rate exactly at a threshold can compute a hair below it.
 */
function atLeast(rate: number, threshold: number): boolean {
  return rate >= threshold * (1 - 1e-9);
}

/** Good and total events of the points whose minute lies in [fromMinute, toMinute]. */
export function windowTotals(series: readonly SliMinute[], fromMinute: number, toMinute: number): WindowTotals {
  let good = 0;
  let total = 0;
  for (const p of series) {
    if (p.minute >= fromMinute && p.minute <= toMinute) {
      good += p.good;
      total += p.total;
    }
  }
  return { good, total };
}

function totalsEndingAt(series: readonly SliMinute[], nowMinute: number, minutes: number): WindowTotals {
  return windowTotals(series, nowMinute - minutes + 1, nowMinute);
}

/** Error ratio over the budgeted ratio; 0 without traffic, which burns no budget. */
export function burnRate(good: number, total: number, target: number): number {
  return total === 0 ? 0 : (total - good) / total / (1 - target);
}

export function burnRates(series: readonly SliMinute[], nowMinute: number, target: number): Record<BurnRateWindow, number> {
  const rates = {} as Record<BurnRateWindow, number>;
  for (const [w, minutes] of Object.entries(BURN_RATE_WINDOWS) as [BurnRateWindow, number][]) {
    const { good, total } = totalsEndingAt(series, nowMinute, minutes);
    rates[w] = burnRate(good, total, target);
  }
  return rates;
}

/** Fraction of the window's error budget left: 1 untouched, 0 spent, negative overspent. */
export function errorBudgetRemaining(good: number, total: number, target: number): number {
  return total === 0 ? 1 : 1 - (total - good) / ((1 - target) * total);
}

/**
 * Hours until the budget is gone if `burnRate` continues: a burn rate of 1 spends the whole budget
 * in exactly the SLO window. 0 when already exhausted; undefined when not burning.
 */
export function timeToExhaustionHours(remaining: number, burnRate: number, windowDays: number): number | undefined {
  if (remaining <= 0) return 0;
  if (burnRate <= 0) return undefined;
  return remaining / (burnRate / (windowDays * 24));
}

/** "5m", "90m", "1h", "36h", "3d": the largest unit that divides the window. */
export function windowLabel(minutes: number): string {
  if (minutes % DAY_MINUTES === 0) return `${minutes / DAY_MINUTES}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}

/**
 * The workbook's three multi-window rules, stated as budget spent per long window so that they
 * scale with the SLO window (a 30-day window gives the workbook's factors 14.4, 6 and 1).
 */
export function defaultRules(windowDays: number): AlertRule[] {
  const rule = (severity: AlertRule["severity"], fraction: number, longWindowMinutes: number, shortWindowMinutes: number): AlertRule => ({
    name: `${severity === "page" ? "fast" : "slow"} burn ${windowLabel(longWindowMinutes)}/${windowLabel(shortWindowMinutes)}`,
    severity,
    factor: Math.round(((fraction * windowDays * 24) / (longWindowMinutes / 60)) * 100) / 100,
    longWindowMinutes,
    shortWindowMinutes,
    forMinutes: 0,
  });
  return [rule("page", 0.02, 60, 5), rule("page", 0.05, 360, 30), rule("ticket", 0.1, 4320, 360)];
}

/**
 * The rule's condition: both windows burn at least `factor` (the short one makes the alert reset
 * soon after the burning stops) and the long window saw at least `minEvents` events, so a handful
 * of failures on an idle service does not page.
 */
export function evaluateRule(rule: AlertRule, series: readonly SliMinute[], nowMinute: number, target: number, minEvents: number): RuleEvaluation {
  const long = totalsEndingAt(series, nowMinute, rule.longWindowMinutes);
  const short = totalsEndingAt(series, nowMinute, rule.shortWindowMinutes);
  const longBurnRate = burnRate(long.good, long.total, target);
  const shortBurnRate = burnRate(short.good, short.total, target);
  return {
    longBurnRate,
    shortBurnRate,
    longTotal: long.total,
    conditionMet: atLeast(longBurnRate, rule.factor) && atLeast(shortBurnRate, rule.factor) && long.total >= minEvents,
  };
}

/**
 * One evaluation of an alert: inactive → pending → firing → inactive. Firing announces once and
 * resolving announces once; a pending alert whose condition clears goes quietly back to inactive.
 */
export function stepAlert(state: AlertRuleState, conditionMet: boolean, nowMs: number, forMinutes: number): AlertStep {
  if (!conditionMet) return state.phase === "firing" ? { state: { phase: "inactive" }, event: "resolved" } : { state: { phase: "inactive" } };
  if (state.phase === "firing") return { state };
  const pendingSinceMs = state.phase === "pending" && state.pendingSinceMs !== undefined ? state.pendingSinceMs : nowMs;
  if (nowMs - pendingSinceMs >= forMinutes * MINUTE_MS) {
    return { state: { phase: "firing", pendingSinceMs, firingSinceMs: nowMs }, event: "firing" };
  }
  return { state: { phase: "pending", pendingSinceMs } };
}

/** The SLO's situation in plain words, from its rules' conditions and its burn rates. */
export function burnState(input: { rules: { rule: AlertRule; conditionMet: boolean }[]; burnRates: Record<BurnRateWindow, number> }): BurnState {
  const { rules, burnRates: r } = input;
  if (rules.some((x) => x.conditionMet && x.rule.severity === "page")) return "burning fast";
  if (rules.some((x) => x.conditionMet) || (atLeast(r["1h"], 1) && atLeast(r["5m"], 1))) return "burning";
  // Calm now, but the longer windows still show the earlier burn.
  if (!atLeast(r["5m"], 1) && !atLeast(r["30m"], 1) && (atLeast(r["6h"], 1) || atLeast(r["1d"], 1))) return "recovering";
  return "ok";
}

function rateText(rate: number): string {
  if (rate < 1) return String(Number(rate.toPrecision(2)));
  return rate < 100 ? String(Number(rate.toFixed(1))) : String(Math.round(rate));
}

function hoursText(hours: number): string {
  if (hours < 1) return `${Math.max(1, Math.round(hours * 60))} min`;
  if (hours < 48) return `${Math.round(hours)} h`;
  return `${Number((hours / 24).toFixed(1))} days`;
}

/**
 * E.g. "Burning the error budget 14.4× faster than sustainable over the last 1h; 62.0% of the
 * 30-day budget is left, gone in 31 h at this rate."
 */
export function describeBurn(burnRate: number, windowLabelText: string, remaining: number, windowDays: number): string {
  const burning =
    burnRate <= 0
      ? `Not burning the error budget over the last ${windowLabelText}`
      : burnRate >= 1
        ? `Burning the error budget ${rateText(burnRate)}× faster than sustainable over the last ${windowLabelText}`
        : `Burning the error budget at ${rateText(burnRate)}× the sustainable rate over the last ${windowLabelText}`;
  const percent = (remaining * 100).toFixed(1).replace("-", "−");
  if (remaining <= 0) return `${burning}; the ${windowDays}-day budget is exhausted (${percent}%).`;
  const budget = `${percent}% of the ${windowDays}-day budget is left`;
  const hours = timeToExhaustionHours(remaining, burnRate, windowDays);
  return hours === undefined ? `${burning}; ${budget}.` : `${burning}; ${budget}, gone in ${hoursText(hours)} at this rate.`;
}

/**
 * The highest histogram bucket a latency SLI counts as good: bucket i is good iff its reported
 * value is within the threshold. Bucket i holds (γ^(i−1), γ^i] and reports (1−α)γ^i, so a span
 * counted good is at most threshold/(1−α) ≈ (1+α)·threshold and one counted bad is above
 * threshold/(1+α) ≈ (1−α)·threshold.
 */
export function latencyGoodBucketLimit(thresholdMs: number): number {
  // The threshold's own bucket reports either just below or just above it.
  const i = bucketIndex(thresholdMs);
  return bucketValue(i) <= thresholdMs ? i : i - 1;
}

/**
 * Burn-down chart over the SLO window ending at `nowMinute`: one point per step, the budget line
 * falling from 1 to the budget remaining now.
 */
export function budgetBurnDown(series: readonly SliMinute[], windowDays: number, nowMinute: number, target: number, stepMinutes: number): BurnDownPoint[] {
  const start = nowMinute - windowDays * DAY_MINUTES + 1;
  const steps = Array.from({ length: Math.ceil((windowDays * DAY_MINUTES) / stepMinutes) }, () => ({ good: 0, total: 0 }));
  let windowTotal = 0;
  for (const p of series) {
    if (p.minute < start || p.minute > nowMinute) continue;
    const s = steps[Math.floor((p.minute - start) / stepMinutes)];
    s.good += p.good;
    s.total += p.total;
    windowTotal += p.total;
  }
  const allowedBad = (1 - target) * windowTotal;
  let bad = 0;
  return steps.map((s, i) => {
    bad += s.total - s.good;
    return {
      t: (start + i * stepMinutes) * MINUTE_MS,
      sli: s.total === 0 ? null : s.good / s.total,
      budgetRemaining: windowTotal === 0 ? 1 : 1 - bad / allowedBad,
    };
  });
}

/** The UTC calendar month or ISO week (Monday–Sunday, numbered by its Thursday's year) holding `ms`. */
function periodOf(ms: number, calendar: "month" | "week"): { label: string; fromMs: number; toMs: number } {
  const d = new Date(ms);
  if (calendar === "month") {
    const y = d.getUTCFullYear();
    const m = d.getUTCMonth();
    return { label: `${y}-${String(m + 1).padStart(2, "0")}`, fromMs: Date.UTC(y, m, 1), toMs: Date.UTC(y, m + 1, 1) - 1 };
  }
  const dayMs = DAY_MINUTES * MINUTE_MS;
  const mondayMs = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - ((d.getUTCDay() + 6) % 7) * dayMs;
  const thursday = new Date(mondayMs + 3 * dayMs);
  const isoYear = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(isoYear, 0, 1)) / (7 * dayMs)) + 1;
  return { label: `${isoYear}-W${String(week).padStart(2, "0")}`, fromMs: mondayMs, toMs: mondayMs + 7 * dayMs - 1 };
}

/**
 * Compliance per calendar period, most recent first: only periods with traffic up to `nowMs`,
 * the current, unfinished one included.
 */
export function periodReports(series: readonly SliMinute[], target: number, calendar: "month" | "week", nowMs: number): PeriodReport[] {
  const nowMinute = Math.floor(nowMs / MINUTE_MS);
  const periods = new Map<string, { label: string; fromMs: number; toMs: number; good: number; total: number }>();
  for (const p of series) {
    if (p.minute > nowMinute || p.total === 0) continue;
    const period = periodOf(p.minute * MINUTE_MS, calendar);
    const r = periods.get(period.label) ?? { ...period, good: 0, total: 0 };
    r.good += p.good;
    r.total += p.total;
    periods.set(period.label, r);
  }
  return [...periods.values()]
    .map((r) => {
      const sli = r.good / r.total;
      // sli < target is bad > (1 − target)·total without the inexact 1 − target.
      return { ...r, sli, budgetRemaining: errorBudgetRemaining(r.good, r.total, target), budgetBlown: sli < target };
    })
    .sort((a, b) => b.fromMs - a.fromMs);
}
