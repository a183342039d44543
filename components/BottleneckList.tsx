"use client";

import Link from "next/link";
import { WINDOW_LABELS, type WindowName } from "./api";
import { PREVIOUS_WINDOW_LABELS, formatLostTime, type BottlenecksResponse } from "./BottleneckTypes";
import { FindingCard } from "./FindingCard";
import { useTimeWindow, useWindowedQuery } from "./useWindowedQuery";
import { LoadError, WindowedPageHead } from "./WindowedPage";

const REFRESH_MS = 15_000;

/** The bottlenecks page: ranked findings for the window, refreshed every 15 s. */
export function BottleneckList() {
  const timeWindow = useTimeWindow();
  const query = useWindowedQuery<BottlenecksResponse>("/api/bottlenecks", timeWindow, REFRESH_MS);

  const switching = query.isPlaceholderData;
  const findings = query.data?.findings ?? [];
  const total = findings.reduce((sum, f) => sum + (Number.isFinite(f.score) ? Math.max(0, f.score) : 0), 0);

  return (
    <div className="bottlenecks">
      <WindowedPageHead
        title="Bottlenecks"
        what="the bottlenecks"
        timeWindow={timeWindow}
        query={query}
        description={
          <>
            What requests waited on in the {WINDOW_LABELS[timeWindow]}, and what got slower or fails more than in{" "}
            {PREVIOUS_WINDOW_LABELS[timeWindow]}, ranked by the user time it costs
          </>
        }
      />

      {query.isPending ? (
        <BottleneckLoading />
      ) : query.isError && !query.data ? (
        <LoadError what="the bottlenecks" query={query} />
      ) : findings.length === 0 ? (
        <BottleneckEmpty timeWindow={timeWindow} />
      ) : (
        <>
          <p className="bn-total" data-testid="findings-total">
            <strong>
              {findings.length} {findings.length === 1 ? "finding" : "findings"}
            </strong>
            , together ≈ {formatLostTime(total)} of user time lost in this window.
          </p>
          <ol className={switching ? "bn-list stale" : "bn-list"} aria-label="Findings, worst first">
            {findings.map((f, i) => (
              <li key={f.id}>
                <FindingCard finding={f} rank={i + 1} timeWindow={timeWindow} />
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}

function BottleneckEmpty({ timeWindow }: { timeWindow: WindowName }) {
  return (
    <section className="card bn-empty" data-testid="bottlenecks-empty">
      <h2>
        No bottlenecks found in the {WINDOW_LABELS[timeWindow]}: latency and error rates match{" "}
        {PREVIOUS_WINDOW_LABELS[timeWindow]}.
      </h2>
      <p>
        Each operation is compared with the window of the same length before it. A finding needs enough traffic to be
        statistically significant (dozens of requests, and a difference that a significance test cannot put down to chance),
        so a few slow or failed requests on a quiet operation are not reported.
      </p>
      <p className="muted">
        Look at the <Link href={`/?window=${timeWindow}`}>services</Link> for the raw figures, or search the{" "}
        <Link href={`/traces?window=${timeWindow}`}>traces</Link> for single slow requests.
      </p>
    </section>
  );
}

export function BottleneckLoading() {
  return (
    <div className="bn-list" aria-busy="true">
      <p className="muted" role="status">
        Loading bottlenecks…
      </p>
      {[0, 1].map((i) => (
        <div key={i} className="card skeleton" aria-hidden="true">
          <div className="skeleton-line wide" />
          <div className="skeleton-line" />
          <div className="skeleton-block" />
        </div>
      ))}
    </div>
  );
}
