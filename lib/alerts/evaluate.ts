import { describeBurn, stepAlert, timeToExhaustionHours, windowLabel } from "../analysis/slo";
import type { AlertEvent, AlertRuleState, SloDefinition } from "../analysis/slo-types";
import { openAlerts, saveAlertState, type OpenAlert } from "../store/alert-store";
import type { Prisma } from "../store/prisma";
import { listSlos } from "../store/slo-store";
import { sloNow, type EvaluatedRule, type SloNow } from "../slos/status";
import { slackBody, webhookBody, type AlertMessage } from "./message";

export interface EvaluationResult { slos: number; fired: number; resolved: number }

/**
 * One pass of the burn-rate alerting: every rule of every SLO goes through the state machine,
 * and each firing or resolution queues a message per channel in the outbox.
 */
export async function evaluateAlerts(db: Prisma, nowMs: number, publicUrl: string): Promise<EvaluationResult> {
  const result: EvaluationResult = { slos: 0, fired: 0, resolved: 0 };
  for (const slo of await listSlos(db)) {
    const now = await sloNow(db, slo, nowMs);
    const open = new Map((await openAlerts(db, slo.id)).map((a) => [a.rule, a]));
    const steps: [EvaluatedRule | undefined, OpenAlert | undefined, string][] = now.rules.map((r) => [r, open.get(r.rule.name), r.rule.name]);
    // A rule taken out of the SLO while open ends like any other: resolved, and said so.
    for (const [rule, alert] of open) if (!slo.rules.some((r) => r.name === rule)) steps.push([undefined, alert, rule]);
    for (const [evaluation, previous, rule] of steps) {
      const before: AlertRuleState = previous?.state ?? { phase: "inactive" };
      const { state, event } = stepAlert(before, evaluation?.conditionMet ?? false, nowMs, evaluation?.rule.forMinutes ?? 0);
      if (!previous && state.phase === "inactive") continue;
      const severity = evaluation?.rule.severity ?? "page";
      const message = event ? alertMessage(slo, now, evaluation, rule, severity, event, nowMs, publicUrl) : undefined;
      await saveAlertState(db, { sloId: slo.id, sloName: slo.name, service: slo.service, rule, severity }, previous, state,
        { ...(evaluation ? { longBurnRate: evaluation.longBurnRate, shortBurnRate: evaluation.shortBurnRate, longTotal: evaluation.longTotal } : {}),
          errorBudgetRemaining: now.errorBudgetRemaining, state: now.state, atMs: nowMs },
        message && { event: message.event as AlertEvent, bodyFor: (kind) => JSON.stringify(kind === "slack" ? slackBody(message) : webhookBody(message)) },
        nowMs);
      if (event === "firing") result.fired++;
      if (event === "resolved") result.resolved++;
    }
    result.slos++;
  }
  return result;
}

/** The message states the rule's own burn: a slow-burn ticket speaks of 3 days, not of the last hour. */
function alertMessage(slo: SloDefinition, now: SloNow, evaluation: EvaluatedRule | undefined, rule: string, severity: "page" | "ticket",
  event: AlertEvent, nowMs: number, publicUrl: string): AlertMessage {
  const burnRate = evaluation?.longBurnRate ?? now.burnRates["1h"];
  const window = windowLabel(evaluation?.rule.longWindowMinutes ?? 60);
  const tte = timeToExhaustionHours(now.errorBudgetRemaining, burnRate, slo.windowDays);
  return {
    event, sloId: slo.id, sloName: slo.name, service: slo.service, ...(slo.operation ? { operation: slo.operation } : {}),
    rule, severity, burnRate, window, budgetRemaining: now.errorBudgetRemaining, windowDays: slo.windowDays, state: now.state,
    description: describeBurn(burnRate, window, now.errorBudgetRemaining, slo.windowDays),
    ...(tte === undefined ? {} : { timeToExhaustionHours: tte }),
    sloUrl: `${publicUrl.replace(/\/$/, "")}/slos/${encodeURIComponent(slo.id)}`, atMs: nowMs,
  };
}
