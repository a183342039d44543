"use client";

import Link from "next/link";
import { useEffect, useId, useRef, useState } from "react";
import type { ResourcesResponse, WindowName } from "./api";
import { AttributeComparison } from "./AttributeComparison";
import { findingKindLabel, formatLostTime, type Finding, type FindingWindowStats, type SaturationEvidence } from "./BottleneckTypes";
import { FindingChart } from "./FindingChart";
import { formatClock, formatCount, formatDuration, formatPercent } from "./format";
import { formatUtilization, SaturationChart } from "./ResourceChart";
import { useWindowedQuery } from "./useWindowedQuery";

/** A number counts as worse when it is at least this much above the other window's. */
const WORSE_RATIO = 1.1;
const RESOURCES_REFRESH_MS = 60_000;

/** One finding: what, how much it costs, the evidence side by side, and where to look next. */
export function FindingCard({ finding, rank, timeWindow }: { finding: Finding; rank: number; timeWindow: WindowName }) {
  const { current, baseline, test, traceSearch, sloUrl, criticalPathShare, criticalPathMs, selfMs } = finding.evidence ?? {};
  const errorKind = finding.kind === "error_spike";
  const headingId = `finding-${rank}`;
  const compare = attributeComparisonOf(finding);
  const [comparing, setComparing] = useState(false);
  const compareId = useId();
  const ref = useRef<HTMLElement>(null);
  const saturation = finding.kind === "saturation" ? finding.evidence : undefined;

  // Recommendations link to `/bottlenecks#<id>`; the list arrives after the browser looked for the anchor.
  useEffect(() => {
    if (decodeURIComponent(window.location.hash.slice(1)) === finding.id) ref.current?.scrollIntoView({ block: "start" });
  }, [finding.id]);

  return (
    <article
      ref={ref}
      id={finding.id}
      className={`card bn-card bn-kind-${finding.kind}`}
      data-testid="finding"
      data-kind={finding.kind}
      data-finding-id={finding.id}
      aria-labelledby={headingId}
    >
      <header className="bn-head">
        <span className="bn-rank" aria-label={`Rank ${rank}`}>
          {rank}
        </span>
        <div className="bn-title">
          <div className="bn-title-line">
            <span className={`bn-badge bn-badge-${finding.kind}`} data-testid="finding-kind">
              {findingKindLabel(finding.kind)}
            </span>
            <h2 id={headingId}>
              <span className="bn-service">{finding.service}</span>
              {finding.operation && (
                <>
                  <span className="bn-sep" aria-hidden="true">
                    {" "}
                    ·{" "}
                  </span>
                  <span className="bn-op">{finding.operation}</span>
                </>
              )}
              {finding.resource && !finding.operation && (
                <>
                  <span className="bn-sep" aria-hidden="true">
                    {" "}
                    ·{" "}
                  </span>
                  <span className="bn-op">{finding.resource}</span>
                </>
              )}
            </h2>
            {finding.spanKind && <span className={`kind kind-${finding.spanKind}`}>{finding.spanKind}</span>}
          </div>
          <p className="bn-summary" data-testid="finding-summary">
            {finding.summary}
          </p>
        </div>
        <p className="bn-score" data-testid="finding-score" title={`${Math.round(finding.score).toLocaleString("en-US")} ms`}>
          <strong>≈ {formatLostTime(finding.score)}</strong>
          <span> of user time lost in this window</span>
        </p>
      </header>

      {current && baseline && (
        <div className="bn-body">
          <div className="bn-compare">
            <ComparisonTable current={current} baseline={baseline} errorKind={errorKind} />
          </div>
          <div className="bn-chart">
            <FindingChart current={current} baseline={baseline} errorKind={errorKind} />
          </div>
        </div>
      )}

      {saturation?.chart && <SaturationEvidence evidence={saturation as SaturationEvidence} timeWindow={timeWindow} />}

      {criticalPathShare !== undefined && (
        <div className="bn-share" data-testid="critical-share">
          <div className="bn-share-bar" role="img" aria-label={`${formatPercent(criticalPathShare)} of end-to-end latency`}>
            <div className="bn-share-fill" style={{ width: `${Math.max(1, criticalPathShare * 100)}%` }} />
          </div>
          <p>
            <strong>{formatPercent(criticalPathShare)}</strong> of end-to-end latency: {formatDuration(criticalPathMs ?? 0)} on the
            critical path
            {current && <> over {formatCount(current.count)} calls (p95 {formatDuration(current.p95Ms)})</>}
            {selfMs !== undefined && <>; self time {formatDuration(selfMs)} in all</>}
          </p>
        </div>
      )}

      {test && (
        <p className="bn-test" data-testid="finding-test">
          <span className="bn-test-label">{baseline ? "Significance: " : "Measured: "}</span>
          {test}
        </p>
      )}

      <footer className="bn-actions">
        {sloUrl && (
          <Link href={sloUrl} className="button primary" data-testid="finding-slo">
            Open SLO →
          </Link>
        )}
        {traceSearch && (
          <Link href={traceSearch} className="button primary" data-testid="finding-traces">
            Example traces →
          </Link>
        )}
        {compare && (
          <button
            type="button"
            className="button bn-compare-toggle"
            aria-expanded={comparing}
            aria-controls={compareId}
            data-testid="finding-compare-attributes"
            onClick={() => setComparing((v) => !v)}
          >
            {comparing ? "Hide attribute comparison" : "Compare attributes"}
          </button>
        )}
        {saturation ? (
          <Link href={`/services/${encodeURIComponent(finding.service)}?window=${timeWindow}`} className="bn-service-link" data-testid="finding-service-page">
            {finding.service}: latency and resources →
          </Link>
        ) : (
          <Link href={`/?window=${timeWindow}#svc-${slug(finding.service)}`} className="bn-service-link">
            {finding.service} on the services page
          </Link>
        )}
      </footer>

      {compare && comparing && (
        <div id={compareId} className="bn-attributes">
          <h3 className="bn-attributes-title">
            Attributes of the {compare.errorsOnly ? "failing" : "slow"} spans against the rest
          </h3>
          <AttributeComparison
            service={finding.service}
            operation={finding.operation!}
            timeWindow={timeWindow}
            minDurationMs={compare.minDurationMs}
            errorsOnly={compare.errorsOnly}
          />
        </div>
      )}
    </article>
  );
}

/** A saturated resource: how hot it is, who shares it, and it and the latency over time. */
function SaturationEvidence({ evidence, timeWindow }: { evidence: SaturationEvidence; timeWindow: WindowName }) {
  const queue = evidence.kind === "queue";
  return (
    <div className="bn-body bn-saturation" data-testid="saturation-evidence">
      <div>
        <dl className="bn-sat-figures">
          {queue && evidence.queue ? (
            <Fig label="waiting now" value={formatCount(evidence.queue.depth)} />
          ) : (
            <>
              <Fig label="now (last 5 min)" value={formatUtilization(evidence.utilization)} hot={(evidence.utilization ?? 0) >= evidence.threshold} />
              <Fig label="p95" value={formatUtilization(evidence.p95)} hot={(evidence.p95 ?? 0) >= evidence.threshold} />
              <Fig label="peak" value={formatUtilization(evidence.peak)} />
            </>
          )}
          <Fig label="instances" value={formatCount(evidence.instances)} />
          <Fig label={`r with ${evidence.correlation.with}`} value={evidence.correlation.r.toFixed(2)} />
        </dl>
        {evidence.shared && <SharedBy resourceId={evidence.resourceId} timeWindow={timeWindow} />}
        <p className="muted bn-sat-metric">
          Measured from <code>{evidence.metric}</code>; saturated at {formatUtilization(evidence.threshold)}.
        </p>
      </div>
      <div className="bn-chart">
        <SaturationChart
          utilization={evidence.chart.utilization}
          latencyMs={evidence.chart.latencyMs}
          queue={queue}
          threshold={evidence.threshold}
        />
      </div>
    </div>
  );
}

/** The finding says only that the resource is shared; the resources API says by whom. */
function SharedBy({ resourceId, timeWindow }: { resourceId: string; timeWindow: WindowName }) {
  const resources = useWindowedQuery<ResourcesResponse>("/api/resources", timeWindow, RESOURCES_REFRESH_MS);
  const users = resources.data?.resources.find((r) => r.id === resourceId)?.services;
  return (
    <p className="bn-shared" data-testid="saturation-shared">
      <strong>Shared by {users ? `${users.length} services (${users.join(", ")})` : "several services"}:</strong> adding replicas of
      one of them only adds load to it.
    </p>
  );
}

function Fig({ label, value, hot }: { label: string; value: string; hot?: boolean }) {
  return (
    <div className={hot ? "bn-sat-fig hot" : "bn-sat-fig"}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/**
 * What to compare for a finding on one operation: its failing spans for an error spike, else the
 * spans slower than the baseline's p95 (the current p95 for a critical-path hotspot or when
 * there is no baseline). Null when the finding has no operation or no threshold to use.
 */
function attributeComparisonOf(finding: Finding): { errorsOnly?: true; minDurationMs?: number } | null {
  if (!finding.operation) return null;
  if (finding.kind === "error_spike") return { errorsOnly: true };
  const { current, baseline } = finding.evidence ?? {};
  const p95 =
    finding.kind === "critical_path_hotspot" ? (current?.p95Ms ?? baseline?.p95Ms) : (baseline?.p95Ms ?? current?.p95Ms);
  return p95 != null && Number.isFinite(p95) && p95 > 0 ? { minDurationMs: p95 } : null;
}

interface Row {
  label: string;
  base: number | null;
  cur: number | null;
  format: (v: number | null) => string;
  /** Whether a higher value is worse (latency, errors); counts are neither. */
  compare: boolean;
  emphasis?: boolean;
}

function ComparisonTable({
  current,
  baseline,
  errorKind,
}: {
  current: FindingWindowStats;
  baseline: FindingWindowStats;
  errorKind: boolean;
}) {
  const rows: Row[] = [
    { label: "requests", base: baseline.count, cur: current.count, format: formatCount, compare: false },
    { label: "errors", base: baseline.errorRate, cur: current.errorRate, format: formatPercent, compare: true, emphasis: errorKind },
    { label: "p50", base: baseline.p50Ms, cur: current.p50Ms, format: formatDuration, compare: true },
    { label: "p95", base: baseline.p95Ms, cur: current.p95Ms, format: formatDuration, compare: true, emphasis: !errorKind },
    { label: "p99", base: baseline.p99Ms, cur: current.p99Ms, format: formatDuration, compare: true },
  ];
  return (
    <table className="data-table bn-table" data-testid="finding-compare">
      <thead>
        <tr>
          <th scope="col">
            <span className="bn-sr-only">figure</span>
          </th>
          <th scope="col" className="num" title={`${formatClock(baseline.from)}–${formatClock(baseline.to)}`}>
            baseline
          </th>
          <th scope="col" className="num" title={`${formatClock(current.from)}–${formatClock(current.to)}`}>
            now
          </th>
          <th scope="col" className="num">
            change
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const worse = r.compare ? worseSide(r.base, r.cur) : null;
          return (
            <tr key={r.label} className={r.emphasis ? "bn-emph" : undefined}>
              <th scope="row">{r.label}</th>
              <td className={worse === "base" ? "num bn-worse" : "num"} data-worse={worse === "base" || undefined}>
                {r.format(r.base)}
              </td>
              <td className={worse === "cur" ? "num bn-worse" : "num"} data-worse={worse === "cur" || undefined}>
                {r.format(r.cur)}
              </td>
              <td className="num muted">{change(r.base, r.cur, r.label === "errors")}</td>
            </tr>
          );
        })}
      </tbody>
      <caption className="bn-caption">
        baseline {formatClock(baseline.from)}–{formatClock(baseline.to)}, now {formatClock(current.from)}–
        {formatClock(current.to)}; the worse figure of each pair is highlighted
      </caption>
    </table>
  );
}

function worseSide(base: number | null, cur: number | null): "base" | "cur" | null {
  if (base == null || cur == null || !Number.isFinite(base) || !Number.isFinite(cur)) return null;
  if (cur > base && (base === 0 || cur / base >= WORSE_RATIO)) return "cur";
  if (base > cur && (cur === 0 || base / cur >= WORSE_RATIO)) return "base";
  return null;
}

/** "3.4×" for ratios, "+12 pts" for error rates. */
function change(base: number | null, cur: number | null, isRate: boolean): string {
  if (base == null || cur == null || !Number.isFinite(base) || !Number.isFinite(cur)) return "—";
  if (isRate) {
    const pts = (cur - base) * 100;
    if (Math.abs(pts) < 0.05) return "=";
    return `${pts > 0 ? "+" : "−"}${Math.abs(pts) < 10 ? Math.abs(pts).toFixed(1) : Math.round(Math.abs(pts))} pts`;
  }
  if (base === 0) return cur === 0 ? "=" : "new";
  const ratio = cur / base;
  if (Math.abs(ratio - 1) < 0.005) return "=";
  return `${ratio < 10 ? ratio.toFixed(ratio < 2 ? 2 : 1) : Math.round(ratio)}×`;
}

function slug(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]+/g, "-");
}
