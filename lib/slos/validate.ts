/**
 * The rules for an SLO definition, shared by the SLO form (browser) and the API (server), so that
 * both say the same thing in the same words. Pure: no Node-only imports.
 */

import { defaultRules } from "../analysis/slo";
import type { AlertRule, SloDefinition } from "../analysis/slo-types";

export type SloFields = Omit<SloDefinition, "id">;

/** Errors are keyed by field, with rule fields as `rules.<index>.<field>`, e.g. `rules.1.factor`. */
export type SloValidation = { ok: true; value: SloFields } | { ok: false; errors: Record<string, string> };

export const WINDOW_DAYS = [7, 28, 30] as const;
const NAME_MAX_LENGTH = 100;
/** Events a rule's long window needs before the rule may fire, when the SLO does not say. */
export const DEFAULT_MIN_EVENTS = 100;
const MINUTES_PER_DAY = 24 * 60;

type Errors = Record<string, string>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function isWholeNumber(value: unknown, min: number): value is number {
  return Number.isInteger(value) && (value as number) >= min;
}

function trimmed(value: unknown): string {
  return typeof value === "string" ? value.trim() : "";
}

function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** Required, at most 100 characters; returns the error message or undefined. */
function nameProblem(name: string, what: string): string | undefined {
  if (!name) return `${what} is required`;
  if (name.length > NAME_MAX_LENGTH) return `${what} must be at most ${NAME_MAX_LENGTH} characters`;
  return undefined;
}

/** `windowMinutes` is the SLO's window, when valid: a rule can't look further back than that. */
function validateRule(input: unknown, windowMinutes: number | undefined): { value?: AlertRule; errors: Errors } {
  if (!isRecord(input)) return { errors: { "": "Each alert rule must be an object" } };
  const errors: Errors = {};
  const name = trimmed(input.name);
  const { severity, factor, longWindowMinutes, shortWindowMinutes } = input;
  // "for" is optional, as in Prometheus: 0 fires at the first evaluation that sees the burn.
  const forMinutes = input.forMinutes ?? 0;

  const nameError = nameProblem(name, "Rule name");
  if (nameError) errors.name = nameError;
  if (severity !== "page" && severity !== "ticket") errors.severity = "Severity must be page or ticket";
  if (!isNumber(factor) || factor <= 0) errors.factor = "Burn-rate factor must be a positive number, e.g. 14.4";
  if (!isWholeNumber(longWindowMinutes, 1)) errors.longWindowMinutes = "Long window must be a positive whole number of minutes";
  else if (windowMinutes !== undefined && longWindowMinutes > windowMinutes)
    errors.longWindowMinutes = `Long window can't be longer than the SLO's ${windowMinutes / MINUTES_PER_DAY}-day window`;
  if (!isWholeNumber(shortWindowMinutes, 1)) errors.shortWindowMinutes = "Short window must be a positive whole number of minutes";
  else if (isNumber(longWindowMinutes) && shortWindowMinutes >= longWindowMinutes)
    errors.shortWindowMinutes = "Short window must be shorter than the long window";
  if (!isWholeNumber(forMinutes, 0)) errors.forMinutes = "Pending time must be a whole number of minutes, 0 or more";

  if (Object.keys(errors).length > 0) return { errors };
  return {
    value: { name, severity, factor, longWindowMinutes, shortWindowMinutes, forMinutes } as AlertRule,
    errors,
  };
}

/** Rules are validated one by one, then for names repeated within the SLO. */
function validateRules(input: unknown, windowMinutes: number | undefined, errors: Errors): AlertRule[] {
  if (!Array.isArray(input)) {
    errors.rules = "Alert rules must be a list";
    return [];
  }
  const rules: AlertRule[] = [];
  input.forEach((ruleInput, index) => {
    const rule = validateRule(ruleInput, windowMinutes);
    for (const [field, message] of Object.entries(rule.errors)) errors[field ? `rules.${index}.${field}` : `rules.${index}`] = message;
    if (!rule.value) return;
    if (rules.some((earlier) => sameName(earlier.name, rule.value!.name))) {
      errors[`rules.${index}.name`] = `Another rule is already named "${rule.value.name}"`;
    }
    rules.push(rule.value);
  });
  return rules;
}

/**
 * Checks an SLO definition as sent by the form or the API and returns it cleaned up: names
 * trimmed, an empty operation meaning all entry operations, thresholdMs kept for latency SLIs only,
 * and the default alert rules and minEvents filled in. `takenNames` are the other SLOs' names
 * (leave out the SLO being edited).
 */
export function validateSlo(input: unknown, opts: { takenNames: string[] }): SloValidation {
  if (!isRecord(input)) return { ok: false, errors: { body: "Expected an SLO definition (a JSON object)" } };
  const errors: Errors = {};

  const name = trimmed(input.name);
  const nameError = nameProblem(name, "Name");
  if (nameError) errors.name = nameError;
  else if (opts.takenNames.some((taken) => sameName(taken, name))) errors.name = `An SLO named "${name}" already exists`;

  const service = trimmed(input.service);
  if (!service) errors.service = "Service is required";

  const { operation, sli, thresholdMs, target, windowDays } = input;
  if (operation !== undefined && operation !== null && typeof operation !== "string")
    errors.operation = "Operation must be text; leave it empty to cover all entry operations";

  if (sli !== "availability" && sli !== "latency") errors.sli = "SLI must be availability or latency";
  else if (sli === "latency" && (!isNumber(thresholdMs) || thresholdMs <= 0))
    errors.thresholdMs = "Threshold must be a positive number of milliseconds";

  // The form shows percent and sends a fraction, so the message speaks percent.
  if (!isNumber(target) || target <= 0 || target >= 1) errors.target = "Target must be between 0 and 100 % (exclusive), e.g. 99.9";

  const validWindow = WINDOW_DAYS.includes(windowDays as 7);
  if (!validWindow) errors.windowDays = "Window must be 7, 28 or 30 days";

  const minEvents = input.minEvents ?? DEFAULT_MIN_EVENTS;
  if (!isWholeNumber(minEvents, 0)) errors.minEvents = "Minimum events must be a whole number, 0 or more";

  // Without a valid window there are neither default rules nor a bound for the rules' windows.
  const days = validWindow ? (windowDays as number) : undefined;
  let rules: AlertRule[] = [];
  if (input.rules !== undefined) rules = validateRules(input.rules, days && days * MINUTES_PER_DAY, errors);
  else if (days) rules = defaultRules(days);

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const operationName = trimmed(operation);
  return {
    ok: true,
    value: {
      name,
      service,
      ...(operationName && { operation: operationName }),
      sli,
      ...(sli === "latency" && { thresholdMs: thresholdMs as number }),
      target,
      windowDays: days,
      rules,
      minEvents,
    } as SloFields,
  };
}
