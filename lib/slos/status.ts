import {
  BURN_RATE_WINDOWS, type RuleEvaluation, budgetBurnDown, burnRates, burnState, describeBurn, errorBudgetRemaining, evaluateRule,
  latencyGoodBucketLimit, periodReports, timeToExhaustionHours, windowLabel, windowTotals,
} from "../analysis/slo";
import type { AlertRule, BurnState, SliMinute, SloDefinition } from "../analysis/slo-types";
import type { SloBurn } from "../analysis/slo-findings";
import { openAlerts } from "../store/alert-store";
import type { Prisma } from "../store/prisma";
import { sliSeries, type SliScope } from "../store/sli-queries";
import { listSlos } from "../store/slo-store";
import { searchTraces } from "../store/trace-queries";

const MINUTE_MS = 60_000;
const DAY_MINUTES = 1440;

export type EvaluatedRule = RuleEvaluation & { rule: AlertRule };

/** Where an SLO stands now: what the list, the detail page and the alert evaluator all start from. */
export interface SloNow {
  sli: number | null;
  good: number;
  total: number;
  errorBudgetRemaining: number;
  burnRates: Record<keyof typeof BURN_RATE_WINDOWS, number>;
  rules: EvaluatedRule[];
  state: BurnState;
  description: string;
  timeToExhaustionHours?: number;
}

export function sliScope(slo: SloDefinition): SliScope {
  return {
    service: slo.service, ...(slo.operation === undefined ? {} : { operation: slo.operation }),
    ...(slo.sli === "latency" && slo.thresholdMs !== undefined ? { goodBucketLimit: latencyGoodBucketLimit(slo.thresholdMs) } : {}),
  };
}

/** Minute-resolution history long enough for every burn-rate window and every rule. */
function recentMinutes(slo: SloDefinition): number {
  return Math.max(BURN_RATE_WINDOWS["3d"], ...slo.rules.map((r) => r.longWindowMinutes));
}

/**
 * The SLO's current SLI, budget and burn rates. The SLO window is read in hourly sums and the
 * alert windows in minutes, both summed by the database from the rollups.
 */
export async function sloNow(db: Prisma, slo: SloDefinition, nowMs: number): Promise<SloNow & { recent: SliMinute[]; hourly: SliMinute[] }> {
  const nowMinute = Math.floor(nowMs / MINUTE_MS);
  const scope = sliScope(slo);
  const windowStart = nowMinute - slo.windowDays * DAY_MINUTES + 1;
  const [recent, hourly] = await Promise.all([
    sliSeries(db, scope, nowMinute - recentMinutes(slo) + 1, nowMinute, 1),
    sliSeries(db, scope, windowStart, nowMinute, 60),
  ]);
  const { good, total } = windowTotals(hourly, windowStart, nowMinute);
  const remaining = errorBudgetRemaining(good, total, slo.target);
  const rates = burnRates(recent, nowMinute, slo.target);
  const rules = slo.rules.map((rule) => ({ rule, ...evaluateRule(rule, recent, nowMinute, slo.target, slo.minEvents) }));
  const tte = timeToExhaustionHours(remaining, rates["1h"], slo.windowDays);
  return {
    sli: total > 0 ? good / total : null, good, total, errorBudgetRemaining: remaining, burnRates: rates, rules,
    state: burnState({ rules, burnRates: rates }),
    description: describeBurn(rates["1h"], "1h", remaining, slo.windowDays),
    ...(tte === undefined ? {} : { timeToExhaustionHours: tte }),
    recent, hourly,
  };
}

/** Every SLO's burn, with its bad and total events in [fromMs, toMs], for the bottleneck ranking. */
export async function sloBurns(db: Prisma, fromMs: number, toMs: number, nowMs: number): Promise<SloBurn[]> {
  return Promise.all((await listSlos(db)).map(async (slo) => {
    const { recent, hourly, rules, ...now } = await sloNow(db, slo, nowMs);
    // The minute sums cover the last few days; a longer window reads the hourly ones.
    const series = fromMs >= nowMs - recentMinutes(slo) * MINUTE_MS ? recent : hourly;
    const { good, total } = windowTotals(series, Math.floor(fromMs / MINUTE_MS), Math.floor(toMs / MINUTE_MS));
    return { slo, state: now.state, burnRates: now.burnRates, errorBudgetRemaining: now.errorBudgetRemaining,
      rulesMet: rules.filter((r) => r.conditionMet).map((r) => r.rule.name), bad: total - good, total };
  }));
}

/** The list page's line per SLO. */
export async function sloSummary(db: Prisma, slo: SloDefinition, nowMs: number) {
  const now = await sloNow(db, slo, nowMs);
  const [window, rate] = Object.entries(now.burnRates).reduce((a, b) => (b[1] > a[1] ? b : a));
  const firing = (await openAlerts(db, slo.id)).filter((a) => a.state.phase === "firing").length;
  return { sli: now.sli, errorBudgetRemaining: now.errorBudgetRemaining, fastestBurn: { window, rate }, state: now.state, firing };
}

const REPORT_DAYS = 366;
const EXAMPLE_TRACES = 10;

/** Everything the SLO page shows: the status of DESIGN.md plus its charts, reports and example traces. */
export async function sloStatus(db: Prisma, slo: SloDefinition, nowMs: number) {
  const nowMinute = Math.floor(nowMs / MINUTE_MS);
  const { recent: _recent, hourly, rules, ...now } = await sloNow(db, slo, nowMs);
  const open = new Map((await openAlerts(db, slo.id)).map((a) => [a.rule, a.state]));
  const [daily, examples] = await Promise.all([
    sliSeries(db, sliScope(slo), nowMinute - REPORT_DAYS * DAY_MINUTES + 1, nowMinute, DAY_MINUTES),
    searchTraces(db, {
      fromMs: nowMs - DAY_MINUTES * MINUTE_MS, toMs: nowMs, service: slo.service, ...(slo.operation ? { operation: slo.operation } : {}),
      ...(slo.sli === "latency" ? { minDurationMs: slo.thresholdMs } : { errorsOnly: true }), limit: EXAMPLE_TRACES,
    }),
  ]);
  return {
    ...now,
    alerts: rules.map((r) => {
      const state = open.get(r.rule.name);
      return {
        name: r.rule.name, severity: r.rule.severity, factor: r.rule.factor,
        longWindow: windowLabel(r.rule.longWindowMinutes), shortWindow: windowLabel(r.rule.shortWindowMinutes),
        longBurnRate: r.longBurnRate, shortBurnRate: r.shortBurnRate, longTotal: r.longTotal, conditionMet: r.conditionMet,
        firing: state?.phase === "firing", ...(state?.firingSinceMs === undefined ? {} : { since: state.firingSinceMs }),
      };
    }),
    burnDown: budgetBurnDown(hourly, slo.windowDays, nowMinute, slo.target, 60),
    months: periodReports(daily, slo.target, "month", nowMs),
    weeks: periodReports(daily, slo.target, "week", nowMs),
    exampleTraces: examples.map((t) => ({ traceId: t.traceId, startMs: t.startMs, durationMs: t.durationMs, error: t.error })),
  };
}
