"use client";

import { useId, type ReactNode } from "react";
import type { BurnState, SloDefinition } from "./sloTypes";

/** The burn state in words, coloured: red when burning fast, amber when burning, blue when recovering. */
export function StateBadge({ state }: { state: BurnState }) {
  return (
    <span className={`slo-state slo-state-${state.replace(" ", "-")}`} data-testid="slo-state">
      {state}
    </span>
  );
}

/** A percentage with the precision SLOs need: 99.95% must not round to 100%. */
export function formatSli(fraction: number | null | undefined): string {
  if (fraction == null || !Number.isFinite(fraction)) return "—";
  const pct = fraction * 100;
  if (pct === 100) return "100%";
  return `${trimZeros(pct.toFixed(pct >= 99 ? 3 : 2))}%`;
}

/** The target as entered: 0.999 → "99.9%". */
export function formatTarget(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(10))}%`;
}

/** Budget left, which goes below zero once the SLO is missed: "42%", "−18%". */
export function formatBudget(fraction: number): string {
  if (!Number.isFinite(fraction)) return "—";
  const pct = Math.round(fraction * 1000) / 10;
  return pct < 0 ? `−${-pct}%` : `${pct}%`;
}

export function formatBurnRate(rate: number): string {
  if (!Number.isFinite(rate)) return "—";
  return `${rate >= 10 ? Math.round(rate) : trimZeros(rate.toFixed(rate >= 1 ? 1 : 2))}×`;
}

/** "Latency under 300 ms, 99.9% over 30 days" or "Availability 99.5% over 7 days". */
export function describeObjective(slo: Pick<SloDefinition, "sli" | "thresholdMs" | "target" | "windowDays">): string {
  const kind = slo.sli === "latency" ? `Latency under ${slo.thresholdMs ?? "?"} ms` : "Availability";
  return `${kind}, ${formatTarget(slo.target)} over ${slo.windowDays} days`;
}

export function describeScope(slo: Pick<SloDefinition, "service" | "operation">): string {
  return slo.operation ? `${slo.service} · ${slo.operation}` : `${slo.service} · all entry operations`;
}

// The bar spans −100 %…+100 % of the budget, zero at a third: an overspent budget shows to the left.
const NEGATIVE_SHARE = 1 / 3;

/** Error budget remaining as a bar around a zero mark, with the figure beside it. */
export function BudgetBar({ remaining }: { remaining: number }) {
  const clamped = Math.max(-1, Math.min(1, Number.isFinite(remaining) ? remaining : 0));
  const level = clamped < 0 ? "over" : clamped < 0.25 ? "low" : "ok";
  const width = clamped < 0 ? -clamped * NEGATIVE_SHARE : clamped * (1 - NEGATIVE_SHARE);
  const left = clamped < 0 ? NEGATIVE_SHARE - width : NEGATIVE_SHARE;
  return (
    <span className="slo-budget" data-testid="budget">
      <span className="slo-budget-track" aria-hidden="true">
        <span className={`slo-budget-fill slo-budget-${level}`} style={{ left: `${left * 100}%`, width: `${width * 100}%` }} />
        <span className="slo-budget-zero" style={{ left: `${NEGATIVE_SHARE * 100}%` }} />
      </span>
      <span className="slo-budget-text">
        {formatBudget(remaining)}
        {remaining < 0 && " (overspent)"}
      </span>
    </span>
  );
}

export { QueryError } from "./QueryState";

type ControlProps = { id: string; "aria-invalid"?: boolean; "aria-describedby"?: string };

/** A labelled control with its hint and, when invalid, the message right under it. */
export function Field({ label, error, hint, narrow, children }: {
  label: string;
  error?: string;
  hint?: string;
  narrow?: boolean;
  children: (props: ControlProps) => ReactNode;
}) {
  const id = useId();
  const described = [error && `${id}-error`, hint && `${id}-hint`].filter(Boolean).join(" ");
  return (
    <div className={narrow ? "slo-field narrow" : "slo-field"}>
      <label htmlFor={id}>{label}</label>
      {children({ id, "aria-invalid": error ? true : undefined, "aria-describedby": described || undefined })}
      {error && <FieldMessage id={`${id}-error`} text={error} />}
      {hint && (
        <span className="muted slo-hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
    </div>
  );
}

export function FieldMessage({ id, text }: { id: string; text: string }) {
  return (
    <span className="slo-error" id={id} data-testid="field-error">
      {text}
    </span>
  );
}

/** "25 Nov, 14:05" in the viewer's time zone. */
export function formatDateTime(t: number | undefined): string {
  if (t == null) return "—";
  return new Date(t).toLocaleString("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
}

function trimZeros(s: string): string {
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
}
