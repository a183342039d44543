"use client";

import { Bar, BarChart, CartesianGrid, LabelList, Legend, Tooltip, XAxis, YAxis } from "recharts";
import type { FindingWindowStats } from "./BottleneckTypes";
import { formatDuration, formatDurationAxis, formatPercent } from "./format";

const BASELINE_COLOR = "#94a3b8";
const CURRENT_COLOR = "#dc2626";

type Row = { name: string; baseline: number | null; current: number | null };

/**
 * Baseline against now as grouped bars: p50/p95/p99 for a latency finding, the error rate for an
 * error spike.
 */
export function FindingChart({
  current,
  baseline,
  errorKind,
  height = 170,
}: {
  current: FindingWindowStats;
  baseline: FindingWindowStats;
  errorKind: boolean;
  height?: number;
}) {
  const rows: Row[] = errorKind
    ? [{ name: "error rate", baseline: baseline.errorRate, current: current.errorRate }]
    : [
        { name: "p50", baseline: baseline.p50Ms, current: current.p50Ms },
        { name: "p95", baseline: baseline.p95Ms, current: current.p95Ms },
        { name: "p99", baseline: baseline.p99Ms, current: current.p99Ms },
      ];
  const format = errorKind ? formatPercent : formatDuration;
  const max = Math.max(0, ...rows.flatMap((r) => [r.baseline ?? 0, r.current ?? 0]));
  const ticks = niceTicks(max, errorKind);
  // Each bar carries its value, and a zero is drawn as a 2 px sliver, so that a zero baseline still reads as "0%".
  const label = (value: unknown) => (typeof value === "number" ? format(value) : "");
  const axisFormat = errorKind ? (v: number) => formatPercent(v) : formatDurationAxis;

  return (
    <div className="bn-chart-box" data-testid="finding-chart" aria-label={errorKind ? "Error rate, baseline vs now" : "Latency percentiles, baseline vs now"}>
      <BarChart
        responsive
        style={{ width: "100%", height }}
        data={rows}
        margin={{ top: 18, right: 8, bottom: 0, left: 0 }}
        barCategoryGap={errorKind ? "35%" : "20%"}
        accessibilityLayer
      >
        <CartesianGrid stroke="#e5e7eb" strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="name" tick={{ fontSize: 12, fill: "#4b5563" }} tickLine={false} axisLine={{ stroke: "#d1d5db" }} />
        <YAxis
          tickFormatter={axisFormat}
          tick={{ fontSize: 12, fill: "#4b5563" }}
          tickLine={false}
          axisLine={false}
          width={52}
          domain={[0, ticks[ticks.length - 1]]}
          ticks={ticks}
        />
        <Tooltip
          isAnimationActive={false}
          cursor={{ fill: "rgba(148, 163, 184, 0.12)" }}
          formatter={(value) => format(typeof value === "number" ? value : null)}
          contentStyle={{ fontSize: 12, borderRadius: 6, borderColor: "#c5cbd4" }}
        />
        <Legend iconType="square" wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="baseline" name="baseline" fill={BASELINE_COLOR} isAnimationActive={false} radius={[3, 3, 0, 0]} minPointSize={2}>
          <LabelList dataKey="baseline" content={(props) => <ValueLabel {...props} text={label(props.value)} />} />
        </Bar>
        <Bar dataKey="current" name="now" fill={CURRENT_COLOR} isAnimationActive={false} radius={[3, 3, 0, 0]} minPointSize={2}>
          <LabelList dataKey="current" content={(props) => <ValueLabel {...props} text={label(props.value)} />} />
        </Bar>
      </BarChart>
    </div>
  );
}

/** Its value above a bar, on one line (Recharts' own label wraps on narrow bars). */
function ValueLabel({
  x,
  y,
  width,
  text,
}: {
  x?: number | string;
  y?: number | string;
  width?: number | string;
  text: string;
}) {
  const [bx, by, bw] = [Number(x), Number(y), Number(width)];
  if (!text || !Number.isFinite(bx) || !Number.isFinite(by) || !Number.isFinite(bw)) return null;
  return (
    <text x={bx + bw / 2} y={by - 5} textAnchor="middle" fontSize={11} fill="#374151" style={{ fontVariantNumeric: "tabular-nums" }}>
      {text}
    </text>
  );
}

/** 0 and 3–5 round steps (1, 2, 2.5, 5 × 10ⁿ) up to at least max. */
function niceTicks(max: number, fraction: boolean): number[] {
  if (!(max > 0)) return fraction ? [0, 0.01] : [0, 1];
  const rough = max / 4;
  const mag = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= rough) ?? 10 * mag;
  const ticks: number[] = [];
  for (let t = 0; t < max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  if (ticks[ticks.length - 1] < max) ticks.push(Number((ticks[ticks.length - 1] + step).toPrecision(12)));
  return ticks;
}
