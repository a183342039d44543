"use client";

import Link from "next/link";
import { WINDOW_LABELS, type RecommendationsResponse, type WindowName } from "./api";
import { LoadingSkeleton } from "./ServicesOverview";
import { RecommendationCard } from "./RecommendationCard";
import { useTimeWindow, useWindowedQuery } from "./useWindowedQuery";
import { LoadError, WindowedPageHead } from "./WindowedPage";

const REFRESH_MS = 30_000;

/** What to change, most user time at stake first; the API ranks them. */
export function Recommendations() {
  const timeWindow = useTimeWindow();
  const query = useWindowedQuery<RecommendationsResponse>("/api/recommendations", timeWindow, REFRESH_MS);
  const data = query.data;

  return (
    <div className="rc-page">
      <WindowedPageHead
        title="Recommendations"
        what="the recommendations"
        timeWindow={timeWindow}
        query={query}
        description={<>What to change, from the findings and resource metrics of the {WINDOW_LABELS[timeWindow]}</>}
      />
      {query.isPending ? (
        <RecommendationsLoading />
      ) : query.isError && !data ? (
        <LoadError what="the recommendations" query={query} />
      ) : !data || data.recommendations.length === 0 ? (
        <RecommendationsEmpty timeWindow={timeWindow} />
      ) : (
        <>
          <p className="rc-total">
            <strong>{data.recommendations.length}</strong> {data.recommendations.length === 1 ? "change" : "changes"}, most user time at
            stake first. Scaling policy: {Math.round(data.policy.targetUtilization * 100)} % target utilization,{" "}
            {data.policy.minReplicas}–{data.policy.maxReplicas} replicas.
          </p>
          <ol className={query.isPlaceholderData ? "rc-list stale" : "rc-list"} aria-label="Recommendations, most important first">
            {data.recommendations.map((r) => (
              <li key={r.id}>
                <RecommendationCard rec={r} timeWindow={timeWindow} />
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}

function RecommendationsEmpty({ timeWindow }: { timeWindow: WindowName }) {
  return (
    <section className="card rc-empty" data-testid="recommendations-empty">
      <h2>Nothing to change in the {WINDOW_LABELS[timeWindow]}</h2>
      <p>Advice comes from two kinds of data; without one of them, that kind of advice cannot be given:</p>
      <ul>
        <li>
          <strong>Traces</strong> (OpenTelemetry, see the <Link href="/">services page</Link>) give the code advice: N+1 calls to
          batch, sequential calls to run in parallel, reads to cache, and whether errors come from a change rather than load.
        </li>
        <li>
          <strong>Prometheus metrics</strong> give the capacity advice (scale out or in, bigger replicas, more workers, limits in front of
          a shared database): add <Link href="/settings/scrape">scrape targets</Link> or point Prometheus&apos;s{" "}
          <code>remote_write</code> at Pinchpoint. CPU and memory need the limits too (cAdvisor or <code>process_cpu_seconds_total</code>{" "}
          with a limit), or there is no utilization to scale on.
        </li>
      </ul>
      <p className="muted">
        With both, and nothing here, nothing is saturated and no code pattern costs enough time to be worth changing.
        {timeWindow !== "24h" && (
          <>
            {" "}
            Try the <Link href="/recommendations?window=24h">last 24 hours</Link>.
          </>
        )}
      </p>
    </section>
  );
}

export function RecommendationsLoading() {
  return <LoadingSkeleton label="Loading recommendations…" />;
}
