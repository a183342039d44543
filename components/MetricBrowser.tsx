"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useDeferredValue, useState } from "react";
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { fetchJson } from "./api";
import { DataTable } from "./DataTable";
import { formatClock } from "./format";
import type { ChartResponse, ScrapeTarget, SeriesResponse, SeriesRow } from "./metricTypes";
import { LoadState } from "./QueryState";
import { Field } from "./SloParts";

const REFRESH_MS = 15_000;
const SERIES_LIMIT = 200;
// Set by the scraper on every series of a target: the same for all rows, so not shown as chips.
const TARGET_LABELS = new Set(["job", "instance"]);
const AXIS_TICK = { fontSize: 12, fill: "#4b5563" };
// With few points each gets a dot: a single minute has no line to show it.
const MAX_DOTS = 20;

/** The series one target exposes, filtered by name, with a chart of the one chosen. */
export function MetricBrowser({ target, onClose }: { target: ScrapeTarget; onClose: () => void }) {
  const [prefix, setPrefix] = useState("");
  const name = useDeferredValue(prefix.trim());
  const [chosen, setChosen] = useState<SeriesRow | null>(null);
  // The scraper sets instance to the URL's host:port.
  const instance = new URL(target.url).host;
  const params = new URLSearchParams({ job: target.job, instance, limit: String(SERIES_LIMIT), ...(name && { name }) });
  const query = useQuery({
    queryKey: ["metric-series", target.job, instance, name],
    queryFn: ({ signal }) => fetchJson<SeriesResponse>(`/api/metrics/series?${params}`, signal),
    refetchInterval: REFRESH_MS,
    placeholderData: keepPreviousData,
  });
  const series = query.data?.series ?? [];

  return (
    <section className="card settings-browser" data-testid="metric-browser" aria-label={`Metrics of ${target.job}`}>
      <div className="settings-browser-head">
        <h2>
          Metrics of {target.job} <span className="muted op-name">{instance}</span>
        </h2>
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
      <Field label="Filter by name" hint="The start of a metric name, e.g. http_ or process_.">
        {(props) => <input {...props} type="search" value={prefix} onChange={(e) => setPrefix(e.target.value)} autoComplete="off" spellCheck={false} />}
      </Field>

      <LoadState
        query={query}
        what="the series"
        loading="Loading series…"
        card={false}
        empty={
          series.length === 0 && (
            <p className="muted" data-testid="series-empty">
              {name
                ? `No series of this target has a name starting with “${name}”.`
                : "No series stored for this target yet. They appear after its first successful scrape."}
            </p>
          )
        }
      >
        <div className="table-wrap">
          <DataTable columns={["Series", "Labels", "Type", { num: "Latest value" }]} testId="series">
            {series.map((s) => (
              <tr key={s.key} data-testid="series-row" className={chosen?.key === s.key ? "settings-selected" : undefined}>
                <td className="op-name">
                  <button type="button" className="slo-link-button" onClick={() => setChosen(s)} aria-pressed={chosen?.key === s.key}>
                    {s.name}
                  </button>
                </td>
                <td className="slo-wrap">
                  <LabelChips labels={s.labels} />
                </td>
                <td>{s.type}</td>
                <td className="num" data-testid="series-value">
                  {s.latest ? formatValue(s.latest.value) : <span className="muted">none in 10 min</span>}
                </td>
              </tr>
            ))}
          </DataTable>
        </div>
        {series.length === SERIES_LIMIT && (
          <p className="muted settings-small">Showing the first {SERIES_LIMIT} series; type more of a name to narrow them down.</p>
        )}
      </LoadState>

      {chosen && <SeriesChart series={chosen} />}
    </section>
  );
}

function LabelChips({ labels }: { labels: Record<string, string> }) {
  const shown = Object.entries(labels).filter(([k]) => !TARGET_LABELS.has(k));
  if (shown.length === 0) return <span className="muted">none</span>;
  return (
    <span className="settings-chips">
      {shown.map(([k, v]) => (
        <span key={k} className="settings-chip">
          {k}={v}
        </span>
      ))}
    </span>
  );
}

/** Counters (and a histogram's or summary's _bucket, _count and _sum) only ever grow: their rate is what tells. */
function isCumulative(s: SeriesRow): boolean {
  return s.type === "counter" || ((s.type === "histogram" || s.type === "summary") && /_(bucket|count|sum)$/.test(s.name));
}

/** The last hour of one series, minute by minute: per-second rate for counters, the average for gauges. */
function SeriesChart({ series }: { series: SeriesRow }) {
  const rate = isCumulative(series);
  const query = useQuery({
    queryKey: ["metric-chart", series.key],
    queryFn: ({ signal }) => fetchJson<ChartResponse>(`/api/metrics/chart?series=${series.key}&window=1h`, signal),
    refetchInterval: REFRESH_MS,
  });
  const points = (query.data?.series[0]?.points ?? []).flatMap((p) => {
    const v = rate ? p.rate : p.avg;
    return v == null ? [] : [{ t: p.t, v }];
  });
  const what = rate ? "per second (rate)" : "average per minute";

  return (
    <div className="settings-series-chart" data-testid="series-chart">
      <h3>
        <span className="settings-metric-name">{series.name}</span> · {what}, last hour
      </h3>
      <LoadState
        query={query}
        what="the chart"
        loading="Loading the chart…"
        card={false}
        empty={
          points.length === 0 && (
            <p className="muted" data-testid="chart-waiting">
              Nothing to chart yet: each minute appears about 10 seconds after it ends
              {rate ? ", and a rate needs two minutes of samples" : ""}.
            </p>
          )
        }
      >
        <div className="chart" data-testid="metric-chart">
          <LineChart responsive style={{ width: "100%", height: 180 }} data={points} margin={{ top: 8, right: 16, bottom: 0, left: 0 }} accessibilityLayer>
            <CartesianGrid stroke="#e5e7eb" strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={formatClock} tick={AXIS_TICK} tickLine={false} axisLine={{ stroke: "#d1d5db" }} minTickGap={32} />
            <YAxis tickFormatter={(v: number) => formatValue(v)} tick={AXIS_TICK} tickLine={false} axisLine={false} width={64} />
            <Tooltip isAnimationActive={false} labelFormatter={(t) => formatClock(Number(t))} formatter={(v) => [formatValue(Number(v)), rate ? "per second" : "average"]} contentStyle={{ fontSize: 12, borderRadius: 6 }} />
            <Line type="monotone" dataKey="v" stroke="#2563eb" strokeWidth={2} dot={points.length <= MAX_DOTS ? { r: 3, fill: "#2563eb" } : false} isAnimationActive={false} />
          </LineChart>
        </div>
      </LoadState>
    </div>
  );
}

/** A sample value as read: integers whole ("1,234"), others to 4 significant digits, huge or tiny ones in e-notation. */
function formatValue(v: number | null): string {
  if (v == null) return "no value";
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "+Inf" : "−Inf";
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return v.toLocaleString("en-US");
  const abs = Math.abs(v);
  if (abs >= 1e9 || abs < 1e-4) return v.toExponential(3);
  return String(Number(v.toPrecision(4)));
}
