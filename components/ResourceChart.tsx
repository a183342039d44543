"use client";

import { useMemo } from "react";
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import type { ResourceSeries, TimePoint } from "./api";
import { formatClock, formatCount, formatDuration, formatDurationAxis } from "./format";
import { CHART_MARGIN, TIME_AXIS, VALUE_AXIS, timeTicks } from "./LatencyChart";

/** Where the saturation findings start (the analysis's default threshold). */
export const SATURATION_THRESHOLD = 0.8;

const MEAN_COLOR = "#0f766e";
const BUSIEST_COLOR = "#7c3aed";
const LATENCY_COLOR = "#d97706";
const THRESHOLD_COLOR = "#b91c1c";
/** The findings compare resources with the p95 of each minute. */
const LATENCY_NAME = "p95 latency";

/** "92 %" for a 0..1+ utilization. */
export function formatUtilization(u: number | null | undefined): string {
  return u == null || !Number.isFinite(u) ? "—" : `${Math.round(u * 100)} %`;
}

/** 0–100 %, or up to the peak when usage went past the capacity. */
function percentDomain(points: TimePoint[][]): [number, number] {
  const peak = Math.max(1, ...points.flat().map((p) => p.v));
  return [0, Math.ceil((peak * 100) / 10) * 10];
}

/** Rows keyed by minute, for charts with several series over time. */
function byMinute(series: Record<string, TimePoint[] | undefined>, scale: Record<string, number> = {}) {
  const rows = new Map<number, Record<string, number>>();
  for (const [key, points] of Object.entries(series)) {
    for (const p of points ?? []) {
      const row = rows.get(p.t) ?? { t: p.t };
      row[key] = p.v * (scale[key] ?? 1);
      rows.set(p.t, row);
    }
  }
  return [...rows.values()].sort((a, b) => a.t - b.t);
}

/**
 * One resource of a service over the window, on the same time axis as its latency chart:
 * utilization in % with the saturation threshold, or the depth for a queue (no capacity).
 */
export function ResourceChart({
  resource,
  from,
  to,
  syncId,
  height = 200,
}: {
  resource: ResourceSeries;
  from: number;
  to: number;
  syncId?: string;
  height?: number;
}) {
  const ticks = useMemo(() => timeTicks(from, to), [from, to]);
  const utilization = resource.utilization;
  const rows = useMemo(
    () =>
      utilization
        ? byMinute({ mean: utilization, busiest: resource.maxUtilization }, { mean: 100, busiest: 100 })
        : byMinute({ depth: resource.usage }),
    [utilization, resource.maxUtilization, resource.usage],
  );
  if (rows.length === 0) return <div className="chart-placeholder">No samples of {resource.metric} in this window.</div>;

  return (
    <div className="chart" data-testid="resource-chart" data-resource={resource.id} style={{ minHeight: height }}>
      <LineChart responsive style={{ width: "100%", height }} data={rows} margin={CHART_MARGIN} syncId={syncId} syncMethod="value">
        <CartesianGrid stroke="#e5e7eb" strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="t" domain={[from, to]} ticks={ticks} {...TIME_AXIS} />
        {utilization ? (
          <YAxis
            domain={percentDomain([utilization, resource.maxUtilization ?? []])}
            tickFormatter={(v: number) => `${v}%`}
            {...VALUE_AXIS}
          />
        ) : (
          <YAxis domain={[0, "auto"]} tickFormatter={(v: number) => formatCount(v)} allowDecimals={false} {...VALUE_AXIS} />
        )}
        {utilization && (
          <ReferenceLine
            y={SATURATION_THRESHOLD * 100}
            stroke={THRESHOLD_COLOR}
            strokeDasharray="4 4"
            label={{ value: "80 % saturated", position: "insideTopLeft", fontSize: 11, fill: THRESHOLD_COLOR }}
          />
        )}
        <Tooltip
          isAnimationActive={false}
          labelFormatter={(t) => formatClock(Number(t))}
          formatter={(v) => (utilization ? `${Math.round(Number(v))} %` : formatCount(Number(v)))}
        />
        <Legend iconType="plainline" wrapperStyle={{ fontSize: 12 }} />
        {utilization ? (
          <>
            <Line dataKey="mean" name="mean of instances" stroke={MEAN_COLOR} strokeWidth={2} dot={false} isAnimationActive={false} />
            {resource.maxUtilization && resource.instances > 1 && (
              <Line dataKey="busiest" name="busiest instance" stroke={BUSIEST_COLOR} strokeWidth={1} strokeDasharray="3 2" dot={false} isAnimationActive={false} />
            )}
          </>
        ) : (
          <Line dataKey="depth" name="items waiting" stroke={MEAN_COLOR} strokeWidth={2} dot={false} isAnimationActive={false} />
        )}
      </LineChart>
    </div>
  );
}

/**
 * A saturation finding's evidence: the resource (utilization in %, or a queue's depth) and the
 * service's latency, minute by minute, on two axes, so that the two rising together is seen.
 */
export function SaturationChart({
  utilization,
  latencyMs,
  queue,
  threshold,
  height = 180,
}: {
  utilization: TimePoint[];
  latencyMs: TimePoint[];
  queue: boolean;
  threshold: number;
  height?: number;
}) {
  const rows = useMemo(
    () => byMinute({ resource: utilization, latency: latencyMs }, queue ? {} : { resource: 100 }),
    [utilization, latencyMs, queue],
  );
  if (rows.length === 0) return null;
  const from = rows[0].t;
  const to = rows[rows.length - 1].t;
  const resourceName = queue ? "queue depth" : "utilization";

  return (
    <div className="chart bn-saturation-chart" data-testid="saturation-chart" style={{ minHeight: height }}>
      <LineChart responsive style={{ width: "100%", height }} data={rows} margin={{ ...CHART_MARGIN, right: 0 }}>
        <CartesianGrid stroke="#e5e7eb" strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="t" domain={[from, to]} ticks={timeTicks(from, to)} {...TIME_AXIS} />
        <YAxis
          yAxisId="resource"
          domain={queue ? [0, "auto"] : percentDomain([utilization])}
          tickFormatter={(v: number) => (queue ? formatCount(v) : `${v}%`)}
          {...VALUE_AXIS}
        />
        <YAxis yAxisId="latency" orientation="right" domain={[0, "auto"]} tickFormatter={formatDurationAxis} {...VALUE_AXIS} />
        {!queue && (
          <ReferenceLine yAxisId="resource" y={threshold * 100} stroke={THRESHOLD_COLOR} strokeDasharray="4 4" />
        )}
        <Tooltip
          isAnimationActive={false}
          labelFormatter={(t) => formatClock(Number(t))}
          formatter={(v, name) =>
            name === LATENCY_NAME ? formatDuration(Number(v)) : queue ? formatCount(Number(v)) : `${Math.round(Number(v))} %`
          }
        />
        <Legend iconType="plainline" wrapperStyle={{ fontSize: 12 }} />
        <Line yAxisId="resource" dataKey="resource" name={resourceName} stroke={MEAN_COLOR} strokeWidth={2} dot={false} isAnimationActive={false} />
        <Line yAxisId="latency" dataKey="latency" name={LATENCY_NAME} stroke={LATENCY_COLOR} strokeWidth={2} dot={false} isAnimationActive={false} connectNulls />
      </LineChart>
    </div>
  );
}
