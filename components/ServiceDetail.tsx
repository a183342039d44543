"use client";

import Link from "next/link";
import {
  WINDOW_LABELS,
  type LatencyResponse,
  type RecommendationsResponse,
  type ResourcesResponse,
  type ServicesResponse,
  type WindowName,
} from "./api";
import { findingKindLabel, formatLostTime, type BottlenecksResponse } from "./BottleneckTypes";
import { LatencyChart } from "./LatencyChart";
import { OperationsTable } from "./OperationsTable";
import { RECOMMENDATION_LABELS } from "./RecommendationCard";
import { formatUtilization, ResourceChart } from "./ResourceChart";
import { ServiceHeadline } from "./ServiceCard";
import { LoadingSkeleton } from "./ServicesOverview";
import { useTimeWindow, useWindowedQuery } from "./useWindowedQuery";
import { LoadError, WindowedPageHead } from "./WindowedPage";

const REFRESH_MS = 10_000;
/** The analyses are heavier and change by the minute. */
const ADVICE_REFRESH_MS = 30_000;
/** Tooltips of the latency and resource charts move together. */
const SYNC_ID = "service-detail";

const RESOURCE_KINDS: Record<string, string> = { cpu: "CPU", memory: "Memory", queue: "Queue", pool: "Pool" };

/**
 * One service: its headline figures, then its latency and every resource it uses on one shared
 * time axis (so that latency rising with CPU is seen at a glance), its operations, and links to
 * what the analysis says about it.
 */
export function ServiceDetail({ name }: { name: string }) {
  const timeWindow = useTimeWindow();
  const services = useWindowedQuery<ServicesResponse>("/api/services", timeWindow, REFRESH_MS);
  const service = services.data?.services.find((s) => s.name === name);

  return (
    <div className="sd-page">
      <p className="sd-back">
        <Link href={`/?window=${timeWindow}`}>← All services</Link>
      </p>
      <WindowedPageHead
        title={name}
        what="the service"
        timeWindow={timeWindow}
        query={services}
        description={<>Entry spans, latency and resources over the {WINDOW_LABELS[timeWindow]}</>}
      />
      {services.isPending ? (
        <LoadingSkeleton label={`Loading ${name}…`} />
      ) : services.isError && !services.data ? (
        <LoadError what="the service" query={services} />
      ) : !service ? (
        <section className="card sd-missing" data-testid="service-missing">
          <h2>No spans from {name} in the {WINDOW_LABELS[timeWindow]}</h2>
          <p>
            Check the name, or look at a longer window: <Link href={`/services/${encodeURIComponent(name)}?window=24h`}>last 24 hours</Link>
            . All services that sent spans are on the <Link href={`/?window=${timeWindow}`}>services page</Link>.
          </p>
        </section>
      ) : (
        <>
          <section className={services.isPlaceholderData ? "card sd-headline stale" : "card sd-headline"}>
            <ServiceHeadline service={service} />
          </section>
          <div className="sd-grid">
            <section className="card sd-charts" aria-label="Latency and resources over time">
              <ServiceCharts name={name} timeWindow={timeWindow} />
            </section>
            <aside className="sd-aside">
              <Advice name={name} timeWindow={timeWindow} />
            </aside>
          </div>
          <section className="card sd-ops">
            <h3>
              Operations <span className="muted">({service.operations.length})</span>
            </h3>
            <OperationsTable operations={service.operations} service={name} />
          </section>
        </>
      )}
    </div>
  );
}

/** Latency, then one chart per resource, all on the latency window's time axis. */
function ServiceCharts({ name, timeWindow }: { name: string; timeWindow: WindowName }) {
  const latency = useWindowedQuery<LatencyResponse>("/api/services/latency", timeWindow, REFRESH_MS);
  const resources = useWindowedQuery<ResourcesResponse>("/api/resources", timeWindow, REFRESH_MS);
  const series = latency.data?.series.find((s) => s.service === name);
  // One x domain for every chart: the latency response's, else the resources'.
  const axis = latency.data ?? resources.data;
  const mine = resources.data?.resources.filter((r) => r.services.includes(name)) ?? [];

  return (
    <>
      <div className="sd-chart" data-testid="service-latency">
        <h3>Latency</h3>
        {latency.isPending ? (
          <div className="chart-placeholder">Loading latency…</div>
        ) : latency.isError && !latency.data ? (
          <div className="chart-placeholder error-text">Could not load latency: {latency.error.message}</div>
        ) : !series || series.points.length === 0 || !latency.data ? (
          <div className="chart-placeholder">No latency samples in this window.</div>
        ) : (
          <LatencyChart points={series.points} from={latency.data.from} to={latency.data.to} stepMs={latency.data.stepMs} syncId={SYNC_ID} />
        )}
      </div>

      {resources.isPending ? (
        <div className="chart-placeholder sd-resource-note">Loading resources…</div>
      ) : resources.isError && !resources.data ? (
        <div className="chart-placeholder sd-resource-note error-text">Could not load resources: {resources.error.message}</div>
      ) : mine.length === 0 ? (
        <p className="muted sd-resource-note" data-testid="no-resources">
          No CPU, memory, queue or pool metrics are tied to {name}. Add a{" "}
          <Link href="/settings/scrape">scrape target</Link> or send Prometheus <code>remote_write</code> with a <code>job</code> or{" "}
          <code>service</code> label of <code>{name}</code>, or map a resource to it in{" "}
          <Link href="/settings/resources">resource mappings</Link>.
        </p>
      ) : (
        mine.map((r) => (
          <div key={r.id} className="sd-chart" data-testid="service-resource">
            <h3 title={r.metric}>
              {r.name} <span className="sd-kind">{RESOURCE_KINDS[r.kind] ?? r.kind}</span>{" "}
              <span className="sd-resource-figures">
                {r.utilization ? (
                  <>
                    now {formatUtilization(r.current)}, p95 {formatUtilization(r.p95)}
                  </>
                ) : (
                  r.queue && <>{r.queue.depth.toLocaleString("en-US")} waiting</>
                )}
                {" · "}
                {r.instances} {r.instances === 1 ? "instance" : "instances"}
                {r.services.length > 1 && <> · shared with {r.services.filter((s) => s !== name).join(", ")}</>}
              </span>
            </h3>
            <ResourceChart resource={r} from={axis!.from} to={axis!.to} syncId={SYNC_ID} />
          </div>
        ))
      )}
    </>
  );
}

/** Links to the service's recommendations and findings, most important first. */
function Advice({ name, timeWindow }: { name: string; timeWindow: WindowName }) {
  const recs = useWindowedQuery<RecommendationsResponse>("/api/recommendations", timeWindow, ADVICE_REFRESH_MS);
  const findings = useWindowedQuery<BottlenecksResponse>("/api/bottlenecks", timeWindow, ADVICE_REFRESH_MS);
  const mineRecs = recs.data?.recommendations.filter((r) => r.service === name) ?? [];
  const mineFindings = findings.data?.findings.filter((f) => f.service === name) ?? [];

  return (
    <>
      <section className="card sd-advice" data-testid="service-recommendations">
        <h3>Recommendations</h3>
        {recs.isPending ? (
          <p className="muted">Loading recommendations…</p>
        ) : recs.isError && !recs.data ? (
          <p className="error-text">Could not load recommendations: {recs.error.message}</p>
        ) : mineRecs.length === 0 ? (
          <p className="muted">Nothing to change for {name} in this window.</p>
        ) : (
          <ul>
            {mineRecs.map((r) => (
              <li key={r.id} className={r.kind === "do_not_scale" ? "sd-hold" : undefined}>
                <Link href={`/recommendations?window=${timeWindow}`}>
                  <strong>{RECOMMENDATION_LABELS[r.kind] ?? r.kind}</strong>
                  {typeof r.current === "number" && r.current !== r.suggested && (
                    <>
                      : {r.current} → {r.suggested}
                    </>
                  )}
                </Link>
                {r.resource && <span className="muted"> ({r.resource})</span>}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card sd-advice" data-testid="service-findings">
        <h3>Findings</h3>
        {findings.isPending ? (
          <p className="muted">Loading findings…</p>
        ) : findings.isError && !findings.data ? (
          <p className="error-text">Could not load findings: {findings.error.message}</p>
        ) : mineFindings.length === 0 ? (
          <p className="muted">No bottlenecks found for {name} in this window.</p>
        ) : (
          <ul>
            {mineFindings.map((f) => (
              <li key={f.id}>
                <Link href={`/bottlenecks?window=${timeWindow}#${encodeURIComponent(f.id)}`}>
                  <strong>{findingKindLabel(f.kind)}</strong>
                  {f.operation ? `: ${f.operation}` : f.resource ? `: ${f.resource}` : ""}
                </Link>{" "}
                <span className="muted">≈ {formatLostTime(f.score)} lost</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
