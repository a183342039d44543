/**
 * Shapes of the SLO and alerting API (/api/slos, /api/alert-channels, /api/alerts) that the
 * SLO, alert history and alert settings pages read. The definitions themselves come from
 * lib/analysis/slo-types.ts, which the server shares.
 */

import type { BurnRateWindow } from "@/lib/analysis/slo";
import type { AlertRule, BurnState, Severity, SliKind, SloDefinition } from "@/lib/analysis/slo-types";

export type { AlertRule, BurnState, Severity, SliKind, SloDefinition };

export interface SloSummary {
  sli: number | null;
  errorBudgetRemaining: number;
  fastestBurn: { window: string; rate: number };
  state: BurnState;
  /** Alert rules firing now. */
  firing: number;
}

export interface SlosResponse {
  slos: Array<SloDefinition & { summary: SloSummary }>;
}

export interface SloResponse {
  slo: SloDefinition;
}

/** What POST /api/slos and PUT /api/slos/:id take. */
export type SloInput = Omit<SloDefinition, "id" | "rules" | "minEvents"> & { rules?: AlertRule[]; minEvents?: number };

export interface SloOptionsResponse {
  services: Array<{ name: string; operations: Array<{ name: string; entry: boolean }> }>;
}

export interface RuleStatus {
  name: string;
  severity: Severity;
  factor: number;
  longWindow: string;
  shortWindow: string;
  longBurnRate: number;
  shortBurnRate: number;
  /** Events in the long window: below the SLO's minEvents the rule stays quiet. */
  longTotal: number;
  /** Both windows burn at least `factor` and there is enough traffic (it fires once any pending time has passed). */
  conditionMet: boolean;
  firing: boolean;
  since?: number;
}

export interface ReportPeriod {
  label: string;
  fromMs: number;
  toMs: number;
  good: number;
  total: number;
  sli: number | null;
  budgetRemaining: number;
  budgetBlown: boolean;
}

export interface SloStatus {
  sli: number | null;
  good: number;
  total: number;
  errorBudgetRemaining: number;
  burnRates: Record<BurnRateWindow, number>;
  alerts: RuleStatus[];
  timeToExhaustionHours?: number;
  state: BurnState;
  /** A plain sentence saying how the SLO is doing. */
  description: string;
  burnDown: Array<{ t: number; sli: number | null; budgetRemaining: number }>;
  months: ReportPeriod[];
  weeks: ReportPeriod[];
  exampleTraces: Array<{ traceId: string; startMs: number; durationMs: number; error: boolean }>;
}

export interface ImportResult {
  /** Names of the SLOs created. */
  created: string[];
  /** Names of existing SLOs replaced by the imported definition. */
  updated?: string[];
  errors: string[];
}

export type ChannelKind = "slack" | "webhook";

export interface AlertChannel {
  id: string;
  name: string;
  kind: ChannelKind;
  url: string;
  hasSecret: boolean;
}

export interface ChannelsResponse {
  channels: AlertChannel[];
}

export interface ChannelTestResult {
  delivered: boolean;
  statusCode?: number;
  error?: string;
}

export type AlertState = "pending" | "firing" | "resolved";

export interface Delivery {
  channelId: string;
  channelName: string;
  attempts: number;
  status: "pending" | "delivered" | "failed";
  lastError?: string;
  nextAttemptAt?: number;
}

export interface AlertRecord {
  id: string;
  sloId: string;
  sloName: string;
  service: string;
  rule: string;
  severity: Severity;
  state: AlertState;
  startedAt?: number;
  resolvedAt?: number;
  deliveries: Delivery[];
}

export interface AlertsResponse {
  alerts: AlertRecord[];
}
