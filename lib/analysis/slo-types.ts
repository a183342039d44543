/**
 * The shapes of SLOs, their alert rules and their status, shared by the analysis, the store, the
 * alert evaluator and the API (DESIGN.md, "Public HTTP API").
 */

export type SliKind = "availability" | "latency";
export type Severity = "page" | "ticket";

/**
 * A multi-window burn-rate rule (Google SRE Workbook, ch. 5): the condition holds while the burn
 * rate is at least `factor` over both the long and the short window.
 */
export interface AlertRule {
  name: string;
  severity: Severity;
  factor: number;
  longWindowMinutes: number;
  shortWindowMinutes: number;
  /** How long the condition must hold before the alert fires (0: at the first evaluation that sees it). */
  forMinutes: number;
}

export interface SloDefinition {
  id: string;
  name: string;
  service: string;
  /** One operation, or undefined for all of the service's entry operations. */
  operation?: string;
  sli: SliKind;
  /** Latency SLIs only: a request is good when faster than this. */
  thresholdMs?: number;
  /** Fraction, e.g. 0.999. */
  target: number;
  /** Rolling window: 7, 28 or 30 days. */
  windowDays: number;
  rules: AlertRule[];
  /** A rule does not fire while its long window holds fewer events than this. */
  minEvents: number;
}

/** Good and total events in one minute (epoch minute = floor(ms / 60 000)). */
export interface SliMinute { minute: number; good: number; total: number }

/** Plain words for an SLO's or an alert's situation. */
export type BurnState = "burning fast" | "burning" | "recovering" | "ok";

export type AlertPhase = "inactive" | "pending" | "firing";

/** What the evaluator remembers per (SLO, rule) between evaluations. */
export interface AlertRuleState { phase: AlertPhase; pendingSinceMs?: number; firingSinceMs?: number }

/** What a state transition asks to be sent. */
export type AlertEvent = "firing" | "resolved";
