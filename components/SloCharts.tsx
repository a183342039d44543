"use client";

import { useId } from "react";
import { Bar, BarChart, CartesianGrid, Cell, LabelList, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { formatBudget, formatBurnRate, formatDateTime, formatSli } from "./SloParts";
import type { SloStatus } from "./sloTypes";

const AXIS_TICK = { fontSize: 12, fill: "#4b5563" };
const GRID = "#e5e7eb";
const SLI_COLOR = "#2563eb";
const BUDGET_COLOR = "#15803d";
const OVERSPENT_COLOR = "#dc2626";
const CALM_COLOR = "#94a3b8";

type BurnDown = SloStatus["burnDown"];

/** With this few SLI points, each gets a dot: a point between gaps (traffic only lately) has no line to show it. */
const MAX_DOTS = 40;

/** Round ticks (1, 2, 2.5 or 5 × 10ⁿ apart) from below `min` up to 1 (100 %), which both charts top out at. */
function ticksUpToOne(min: number): number[] {
  const rough = Math.max(1 - min, 1e-4) / 4;
  const mag = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((st) => st >= rough) ?? 10 * mag;
  const ticks: number[] = [];
  for (let t = Math.floor(min / step + 1e-9) * step; t < 1 - step * 1e-6; t += step) ticks.push(Number(t.toPrecision(12)));
  return [...ticks, 1];
}

/** "25 Nov" in the viewer's time zone. */
function formatDay(t: number): string {
  return new Date(t).toLocaleDateString("en-GB", { day: "numeric", month: "short" });
}

/** The SLI over the window, against the target line. */
export function SliChart({ points, target, height = 200 }: { points: BurnDown; target: number; height?: number }) {
  const values = points.flatMap((p) => (p.sli == null ? [] : [p.sli]));
  // Zoom in on the interesting band: from a little below the lower of target and worst SLI, to 100 %.
  const low = Math.min(target, ...values);
  const ticks = ticksUpToOne(Math.max(0, low - (1 - low) * 0.1));
  return (
    <div className="chart" data-testid="sli-chart">
      <LineChart responsive style={{ width: "100%", height }} data={points} margin={{ top: 8, right: 16, bottom: 0, left: 0 }} accessibilityLayer>
        <CartesianGrid stroke={GRID} strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={formatDay} tick={AXIS_TICK} tickLine={false} axisLine={{ stroke: "#d1d5db" }} minTickGap={32} />
        <YAxis domain={[ticks[0], 1]} ticks={ticks} tickFormatter={(v: number) => formatSli(v)} tick={AXIS_TICK} tickLine={false} axisLine={false} width={64} allowDataOverflow />
        <Tooltip isAnimationActive={false} labelFormatter={(t) => formatDateTime(Number(t))} formatter={(v) => [formatSli(typeof v === "number" ? v : null), "SLI"]} contentStyle={{ fontSize: 12, borderRadius: 6 }} />
        <ReferenceLine y={target} stroke={OVERSPENT_COLOR} strokeDasharray="5 4" label={{ value: `target ${formatSli(target)}`, position: "insideBottomRight", fontSize: 11, fill: OVERSPENT_COLOR }} />
        <Line type="monotone" dataKey="sli" name="SLI" stroke={SLI_COLOR} strokeWidth={2} dot={values.length <= MAX_DOTS ? { r: 3, fill: SLI_COLOR } : false} connectNulls={false} isAnimationActive={false} />
      </LineChart>
    </div>
  );
}

/** Error budget left over the window: green above zero, red below, with the zero line drawn. */
export function BudgetChart({ points, height = 200 }: { points: BurnDown; height?: number }) {
  const gradient = `budget-${useId().replace(/[^a-zA-Z0-9_-]/g, "")}`;
  const values = points.map((p) => p.budgetRemaining).filter(Number.isFinite);
  const ticks = ticksUpToOne(Math.min(0, ...values));
  // Where zero falls in the line's own extent, so that the stroke turns red exactly there.
  const top = Math.max(...values, 0);
  const bottom = Math.min(...values, 0);
  const zeroAt = top === bottom ? 1 : top / (top - bottom);
  return (
    <div className="chart" data-testid="budget-chart">
      <LineChart responsive style={{ width: "100%", height }} data={points} margin={{ top: 8, right: 16, bottom: 0, left: 0 }} accessibilityLayer>
        <defs>
          <linearGradient id={gradient} x1="0" y1="0" x2="0" y2="1">
            <stop offset={zeroAt} stopColor={BUDGET_COLOR} />
            <stop offset={zeroAt} stopColor={OVERSPENT_COLOR} />
          </linearGradient>
        </defs>
        <CartesianGrid stroke={GRID} strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={formatDay} tick={AXIS_TICK} tickLine={false} axisLine={{ stroke: "#d1d5db" }} minTickGap={32} />
        <YAxis domain={[ticks[0], 1]} ticks={ticks} tickFormatter={(v: number) => formatBudget(v)} tick={AXIS_TICK} tickLine={false} axisLine={false} width={56} />
        <Tooltip isAnimationActive={false} labelFormatter={(t) => formatDateTime(Number(t))} formatter={(v) => [formatBudget(Number(v)), "budget left"]} contentStyle={{ fontSize: 12, borderRadius: 6 }} />
        <ReferenceLine y={0} stroke="#111827" strokeWidth={1.5} label={{ value: "budget spent", position: "insideBottomLeft", fontSize: 11, fill: "#374151" }} />
        <Line type="linear" dataKey="budgetRemaining" name="budget left" stroke={`url(#${gradient})`} strokeWidth={2} dot={false} isAnimationActive={false} />
      </LineChart>
    </div>
  );
}

/** Burn rate per window as bars; the line at 1× is the rate that spends the budget exactly over the SLO window. */
export function BurnRateChart({ rates, height = 200 }: { rates: SloStatus["burnRates"]; height?: number }) {
  const rows = Object.entries(rates).map(([window, rate]) => ({ window, rate }));
  const max = Math.max(2, ...rows.map((r) => r.rate).filter(Number.isFinite));
  return (
    <div className="chart" data-testid="burn-chart">
      <BarChart responsive style={{ width: "100%", height }} data={rows} margin={{ top: 18, right: 16, bottom: 0, left: 0 }} accessibilityLayer>
        <CartesianGrid stroke={GRID} strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="window" tick={AXIS_TICK} tickLine={false} axisLine={{ stroke: "#d1d5db" }} />
        <YAxis domain={[0, Math.ceil(max * 1.1)]} tickFormatter={(v: number) => `${v}×`} tick={AXIS_TICK} tickLine={false} axisLine={false} width={44} />
        <Tooltip isAnimationActive={false} cursor={{ fill: "rgba(148, 163, 184, 0.12)" }} formatter={(v) => [formatBurnRate(Number(v)), "burn rate"]} contentStyle={{ fontSize: 12, borderRadius: 6 }} />
        <Bar dataKey="rate" isAnimationActive={false} radius={[3, 3, 0, 0]} minPointSize={2}>
          {rows.map((r) => (
            <Cell key={r.window} fill={r.rate > 1 ? OVERSPENT_COLOR : CALM_COLOR} />
          ))}
          <LabelList dataKey="rate" position="top" fontSize={11} fill="#374151" formatter={(v) => formatBurnRate(Number(v))} />
        </Bar>
        <ReferenceLine y={1} stroke="#111827" strokeDasharray="5 4" label={{ value: "1×", position: "right", fontSize: 11, fill: "#111827" }} />
      </BarChart>
    </div>
  );
}
