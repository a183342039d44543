"use client";

import Link from "next/link";
import type { LatencySeries, ServiceStats, Stats } from "./api";
import { formatCount, formatDuration, formatPercent, formatRate, isErrorRateHigh } from "./format";
import { LatencyChart } from "./LatencyChart";
import { OperationsTable } from "./OperationsTable";
import { useTimeWindow } from "./useWindowedQuery";

export interface LatencyState {
  status: "pending" | "error" | "success";
  error?: string;
  series?: LatencySeries;
  from: number;
  to: number;
  stepMs: number;
}

/** One service: its headline numbers (entry spans), latency over time, and its operations. */
export function ServiceCard({ service, latency }: { service: ServiceStats; latency: LatencyState }) {
  const timeWindow = useTimeWindow();
  return (
    <section className="card service" data-testid={`service-${service.name}`} aria-labelledby={`svc-${slug(service.name)}`}>
      <header className="service-head">
        <h2 id={`svc-${slug(service.name)}`}>
          <Link href={`/services/${encodeURIComponent(service.name)}?window=${timeWindow}`} title={`${service.name}: latency and resources`}>
            {service.name}
          </Link>
        </h2>
        <ServiceHeadline service={service} />
      </header>

      <div className="service-body">
        <div className="service-chart">
          <h3>Latency</h3>
          {latency.status === "pending" ? (
            <div className="chart-placeholder">Loading latency…</div>
          ) : latency.status === "error" ? (
            <div className="chart-placeholder error-text">Could not load latency: {latency.error}</div>
          ) : !latency.series || latency.series.points.length === 0 ? (
            <div className="chart-placeholder">No latency samples in this window.</div>
          ) : (
            <LatencyChart points={latency.series.points} from={latency.from} to={latency.to} stepMs={latency.stepMs} />
          )}
        </div>
        <div className="service-ops">
          <h3>
            Operations <span className="muted">({service.operations.length})</span>
          </h3>
          <OperationsTable operations={service.operations} service={service.name} />
        </div>
      </div>
    </section>
  );
}

/** The service's headline figures over its entry spans (also on its own page). */
export function ServiceHeadline({ service }: { service: Stats }) {
  const high = isErrorRateHigh(service.errorRate);
  return (
    <dl className="headline" title="Entry spans of the service (server and consumer spans, or trace roots)">
      <Figure label="req/s" value={formatRate(service.requestRate)} />
      <Figure label="requests" value={formatCount(service.count)} testId="service-count" />
      <Figure
        label="errors"
        value={formatPercent(service.errorRate)}
        className={high ? "error-high" : undefined}
        title={`${formatCount(service.errors)} of ${formatCount(service.count)} requests failed`}
      />
      <Figure label="p50" value={formatDuration(service.p50Ms)} />
      <Figure label="p95" value={formatDuration(service.p95Ms)} />
      <Figure label="p99" value={formatDuration(service.p99Ms)} />
    </dl>
  );
}

function Figure({
  label,
  value,
  className,
  title,
  testId,
}: {
  label: string;
  value: string;
  className?: string;
  title?: string;
  testId?: string;
}) {
  return (
    <div className={className ? `figure ${className}` : "figure"} title={title}>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}

function slug(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]+/g, "-");
}
