import { int } from "./regressions";
import { BURN_RATE_WINDOWS, describeBurn, type BurnRateWindow } from "./slo";
import type { BurnState, SliKind } from "./slo-types";

/** Where one SLO stands, as the bottleneck ranking needs it. */
export interface SloBurn {
  slo: { id: string; name: string; service: string; operation?: string; sli: SliKind; thresholdMs?: number; windowDays: number };
  state: BurnState;
  burnRates: Record<BurnRateWindow, number>;
  errorBudgetRemaining: number;
  /** Names of the alert rules whose condition holds now. */
  rulesMet: string[];
  /** Bad and total events in the page's window. */
  bad: number;
  total: number;
}

export interface BudgetBurnFinding {
  id: string;
  kind: "error_budget_burn";
  service: string; operation?: string;
  /** User time lost in the window, ms. */
  score: number;
  summary: string;
  evidence: { sloId: string; sloUrl: string; state: BurnState; burnRates: Record<BurnRateWindow, number>; errorBudgetRemaining: number;
    rulesMet: string[]; test: string; traceSearch: string };
}

/** A failed request costs its user at least this much (a retry, a reload), as for error spikes. */
const FAILED_REQUEST_COST_MS = 1000;

/**
 * `error_budget_burn` for every SLO burning its budget faster than it can afford. Scored like
 * the other findings, by the user time its bad events cost in the window: a failed request at
 * least a second, a slow one at least its threshold.
 */
export function errorBudgetFindings(burns: SloBurn[], w: { searchWindow: string }): BudgetBurnFinding[] {
  return burns.filter((b) => b.state === "burning fast" || b.state === "burning").map((b) => {
    const [window, rate] = fastestSustained(b.burnRates);
    const latency = b.slo.sli === "latency";
    const search = new URLSearchParams({ service: b.slo.service, ...(b.slo.operation ? { operation: b.slo.operation } : {}), window: w.searchWindow,
      ...(latency ? { minDurationMs: String(b.slo.thresholdMs) } : { errorsOnly: "true" }) });
    return {
      id: `error_budget_burn:${b.slo.id}`, kind: "error_budget_burn" as const, service: b.slo.service, ...(b.slo.operation ? { operation: b.slo.operation } : {}),
      score: b.bad * (latency ? Math.max(b.slo.thresholdMs ?? 0, 1) : FAILED_REQUEST_COST_MS),
      summary: `SLO "${b.slo.name}" is ${b.state}: ${describeBurn(rate, window, b.errorBudgetRemaining, b.slo.windowDays)}`,
      evidence: {
        sloId: b.slo.id, sloUrl: `/slos/${encodeURIComponent(b.slo.id)}`, state: b.state, burnRates: b.burnRates, errorBudgetRemaining: b.errorBudgetRemaining,
        rulesMet: b.rulesMet, traceSearch: `/traces?${search}`,
        test: `${int(b.bad)} ${latency ? `requests slower than ${b.slo.thresholdMs} ms` : "failed requests"} of ${int(b.total)} in this window` +
          (b.rulesMet.length ? `; alert rules met: ${b.rulesMet.join(", ")}` : ""),
      },
    };
  });
}

/**
 * The longest window burning at 1× or more, so the sentence speaks of a trend and not of one bad
 * minute; the 1 h window when none is.
 */
function fastestSustained(rates: Record<BurnRateWindow, number>): [BurnRateWindow, number] {
  const windows = (Object.keys(BURN_RATE_WINDOWS) as BurnRateWindow[]).filter((k) => rates[k] >= 1);
  const w = windows[windows.length - 1] ?? "1h";
  return [w, rates[w]];
}
