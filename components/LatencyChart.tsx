"use client";

import { useMemo } from "react";
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis, type DotItemDotProps } from "recharts";
import type { LatencyPoint } from "./api";
import { formatClock, formatCount, formatDuration, formatDurationAxis, formatPercent, formatRate } from "./format";

const LINES = [
  { key: "p50Ms", name: "p50", color: "#2563eb", width: 1.5 },
  { key: "p95Ms", name: "p95", color: "#d97706", width: 1.5 },
  { key: "p99Ms", name: "p99", color: "#dc2626", width: 3 },
] as const;

/** Drawn widest first, so that where p95 equals p99 (little traffic) both stay visible. */
const DRAW_ORDER = [...LINES].reverse();

type LineKey = (typeof LINES)[number]["key"];

/** A chart row: a point with traffic, or a gap marker (all values null) where there was none. */
type Row = { t: number } & Partial<Omit<LatencyPoint, "t">>;

/**
 * p50/p95/p99 over the window. The API sends points only for steps with traffic; empty steps
 * become gaps in the lines instead of being bridged, and a point standing alone between gaps
 * gets a dot so that it stays visible.
 */
export function LatencyChart({
  points,
  from,
  to,
  stepMs,
  height = 220,
  syncId,
}: {
  points: LatencyPoint[];
  from: number;
  to: number;
  stepMs: number;
  height?: number;
  /** Charts with the same syncId show their tooltips at the same time (the service page). */
  syncId?: string;
}) {
  const rows = useMemo(() => withGaps(points, stepMs), [points, stepMs]);
  const ticks = useMemo(() => timeTicks(from, to), [from, to]);
  const isolated = useMemo(() => isolatedIndexes(rows), [rows]);

  const dotFor = (key: LineKey, color: string) =>
    function Dot(props: DotItemDotProps) {
      const { cx, cy, index } = props;
      if (cx == null || cy == null || !isolated[key].has(index)) return <g key={`${key}-${index}`} />;
      return <circle key={`${key}-${index}`} cx={cx} cy={cy} r={3} fill={color} stroke="none" />;
    };

  return (
    <div className="chart" data-testid="latency-chart">
      <LineChart
        responsive
        style={{ width: "100%", height }}
        data={rows}
        margin={CHART_MARGIN}
        syncId={syncId}
        syncMethod="value"
        accessibilityLayer
      >
        <CartesianGrid stroke="#e5e7eb" strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="t" domain={[from, to]} ticks={ticks} {...TIME_AXIS} />
        <YAxis tickFormatter={formatDurationAxis} domain={[0, "auto"]} {...VALUE_AXIS} />
        <Tooltip content={<LatencyTooltip />} isAnimationActive={false} />
        <Legend iconType="plainline" wrapperStyle={{ fontSize: 12 }} />
        {DRAW_ORDER.map((l) => (
          <Line
            key={l.key}
            type="linear"
            dataKey={l.key}
            name={l.name}
            stroke={l.color}
            strokeWidth={l.width}
            dot={dotFor(l.key, l.color)}
            activeDot={{ r: 4 }}
            connectNulls={false}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </div>
  );
}

/**
 * Shared by every chart over time (latency, resources), so that charts stacked on one page line
 * up: the same margins, the same time axis and the same width of value axis.
 */
export const CHART_MARGIN = { top: 8, right: 16, bottom: 0, left: 0 };
export const TIME_AXIS = {
  type: "number",
  scale: "time",
  tickFormatter: formatClock,
  tick: { fontSize: 12, fill: "#4b5563" },
  tickLine: false,
  axisLine: { stroke: "#d1d5db" },
  minTickGap: 24,
} as const;
export const VALUE_AXIS = { tick: { fontSize: 12, fill: "#4b5563" }, tickLine: false, axisLine: false, width: 56 } as const;

const TICK_STEPS_MIN = [1, 2, 3, 5, 10, 15, 30, 60, 120, 180, 240, 360, 720, 1440];

/** Ticks on round local times (every 5 min, 10 min, 1 h…), at most about six over the window. */
export function timeTicks(from: number, to: number): number[] {
  const span = to - from;
  if (!(span > 0)) return [];
  const stepMin = TICK_STEPS_MIN.find((m) => span / (m * 60_000) <= 6) ?? 1440;
  const step = stepMin * 60_000;
  // Align to the local clock, so that hour ticks land on whole hours in the viewer's zone.
  const offset = new Date(from).getTimezoneOffset() * 60_000;
  const first = Math.ceil((from - offset) / step) * step + offset;
  const ticks: number[] = [];
  for (let t = first; t <= to; t += step) ticks.push(t);
  return ticks;
}

function withGaps(points: LatencyPoint[], stepMs: number): Row[] {
  const sorted = [...points].sort((a, b) => a.t - b.t);
  const rows: Row[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i];
    const prev = sorted[i - 1];
    // A missing step between two points means no traffic: break the line there.
    if (prev && stepMs > 0 && p.t - prev.t > stepMs * 1.5) rows.push({ t: prev.t + stepMs });
    rows.push(p);
  }
  return rows;
}

function isolatedIndexes(rows: Row[]): Record<LineKey, Set<number>> {
  const result = {} as Record<LineKey, Set<number>>;
  for (const { key } of LINES) {
    const set = new Set<number>();
    rows.forEach((row, i) => {
      if (row[key] == null) return;
      const before = i > 0 ? rows[i - 1][key] : null;
      const after = i < rows.length - 1 ? rows[i + 1][key] : null;
      if (before == null && after == null) set.add(i);
    });
    result[key] = set;
  }
  return result;
}

interface TooltipEntry {
  payload?: Row;
}

function LatencyTooltip({ active, payload }: { active?: boolean; payload?: ReadonlyArray<TooltipEntry> }) {
  const row = payload?.[0]?.payload;
  if (!active || !row || row.count == null) return null;
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-time">{formatClock(row.t)}</div>
      <table>
        <tbody>
          {LINES.map((l) => (
            <tr key={l.key}>
              <th scope="row">
                <span className="swatch" style={{ background: l.color }} />
                {l.name}
              </th>
              <td className="num">{formatDuration(row[l.key])}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">requests</th>
            <td className="num">
              {formatCount(row.count)} ({formatRate(row.requestRate)}/s)
            </td>
          </tr>
          <tr>
            <th scope="row">errors</th>
            <td className="num">{formatPercent(row.errorRate)}</td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}
