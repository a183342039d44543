"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo, useState } from "react";
import { fetchJson } from "./api";
import { formatCount, formatDuration } from "./format";
import { serviceColor } from "./serviceColor";
import { SpanDetails } from "./SpanDetails";
import type { TraceDetail, TraceSpan } from "./traceTypes";
import { Waterfall } from "./Waterfall";

/** 4xx answers will not change on a retry. */
function retryUnlessClientError(failures: number, err: Error): boolean {
  return failures < 1 && !/^HTTP 4\d\d/.test(err.message);
}

/** The trace page: header, warnings, the waterfall and the details of the selected span. */
export function TraceView({ traceId }: { traceId: string }) {
  const trace = useQuery({
    queryKey: ["trace", traceId],
    queryFn: ({ signal }) => fetchJson<TraceDetail>(`/api/traces/${encodeURIComponent(traceId)}`, signal),
    retry: retryUnlessClientError,
    refetchOnWindowFocus: false,
    staleTime: 60_000,
  });
  const [selectedId, setSelectedId] = useState<string | null>(null);

  const data = trace.data;
  const root = useMemo(() => (data ? findRoot(data.spans) : null), [data]);
  const selected = useMemo(
    () => (data && selectedId ? data.spans.find((s) => s.spanId === selectedId) ?? null : null),
    [data, selectedId],
  );
  const skewed = useMemo(() => (data ? data.spans.filter((s) => s.clockSkew).length : 0), [data]);
  const orphans = useMemo(() => (data ? data.spans.filter((s) => s.missingParent).length : 0), [data]);

  if (trace.isPending) {
    return (
      <div className="trace-page">
        <BackLink />
        <p className="card muted" role="status" aria-busy="true">
          Loading trace <code>{traceId}</code>…
        </p>
      </div>
    );
  }

  if (trace.isError) {
    const msg = trace.error.message;
    const notFound = msg.startsWith("HTTP 404");
    const malformed = msg.startsWith("HTTP 400");
    return (
      <div className="trace-page">
        <BackLink />
        <div className="card error-state" role="alert" data-testid="trace-error">
          <p>
            {notFound
              ? "Trace not found."
              : malformed
                ? "This is not a valid trace id."
                : "Could not load the trace."}
          </p>
          <div className="error-detail">
            {notFound ? (
              <>
                No spans of trace <code>{traceId}</code> are stored. It may be older than the retention of raw spans,
                still on its way (spans take a few seconds to arrive), or sent to another Pinchpoint. The server said:{" "}
                {msg.replace(/^HTTP 404:?\s*/, "")}.
              </>
            ) : malformed ? (
              <>
                A trace id is 32 hexadecimal characters, not all zero; <code>{traceId}</code> is not.
              </>
            ) : (
              <>The server said: {msg}</>
            )}
          </div>
          <div className="error-actions">
            {!notFound && !malformed && (
              <button type="button" className="button" onClick={() => trace.refetch()} disabled={trace.isFetching}>
                {trace.isFetching ? "Retrying…" : "Retry"}
              </button>
            )}
            <Link href="/traces" className="button">
              Search traces
            </Link>
          </div>
        </div>
      </div>
    );
  }

  const t = trace.data;
  return (
    <div className="trace-page">
      <BackLink />
      <header className="card trace-head" data-testid="trace-header">
        <div className="trace-title">
          <h1>
            {root ? (
              <>
                <span className="svc-chip">
                  <span className="svc-dot" style={{ background: serviceColor(root.service) }} aria-hidden="true" />
                  {root.service}
                </span>{" "}
                <span className="trace-op">{root.name}</span>
              </>
            ) : (
              "Trace"
            )}
          </h1>
          <p className="muted small">
            Trace <code data-testid="trace-id">{t.traceId}</code> · started {new Date(t.startMs).toLocaleString()}
          </p>
        </div>
        <dl className="headline">
          <Figure label="duration" value={formatDuration(t.durationMs)} testId="trace-duration" />
          <Figure label="spans" value={formatCount(t.spans.length)} testId="trace-span-count" />
          <Figure label="services" value={formatCount(t.services.length)} />
          <Figure
            label="errors"
            value={formatCount(t.errorCount)}
            className={t.errorCount > 0 ? "error-high" : undefined}
            testId="trace-error-count"
          />
        </dl>
        <ul className="service-legend" aria-label="Services in this trace">
          {t.services.map((s) => (
            <li key={s}>
              <span className="svc-dot" style={{ background: serviceColor(s) }} aria-hidden="true" />
              {s}
            </li>
          ))}
        </ul>
      </header>

      {(t.incomplete || skewed > 0 || t.duplicateSpanIds.length > 0) && (
        <div className="banner warn" role="status" data-testid="trace-warning">
          {t.incomplete && (
            <p>
              <strong>Incomplete trace:</strong> {orphans === 1 ? "one span names a parent" : `${orphans} spans name parents`}{" "}
              that {orphans === 1 ? "was" : "were"} not received (dropped by a sampler, lost in transit, or still on the way).
              {orphans === 1 ? " It is" : " They are"} shown as {orphans === 1 ? "a root" : "roots"}, and the critical path
              and self times may be missing that part.
            </p>
          )}
          {skewed > 0 && (
            <p>
              <strong>Clock skew:</strong> {skewed === 1 ? "one span starts" : `${skewed} spans start`} before or{" "}
              {skewed === 1 ? "ends" : "end"} after {skewed === 1 ? "its" : "their"} parent on another service, so the
              hosts&apos; clocks disagree. Positions across services are approximate; such spans are flagged “skew”.
            </p>
          )}
          {t.duplicateSpanIds.length > 0 && (
            <p>
              <strong>Duplicate span ids:</strong> {t.duplicateSpanIds.length} span id
              {t.duplicateSpanIds.length === 1 ? " was" : "s were"} received more than once; only one copy of each is shown.
            </p>
          )}
        </div>
      )}

      <div className={selected ? "trace-body with-details" : "trace-body"}>
        <Waterfall
          spans={t.spans}
          criticalPath={t.criticalPath}
          traceStartMs={t.startMs}
          traceDurationMs={t.durationMs}
          selectedId={selectedId}
          onSelect={setSelectedId}
        />
        {selected && (
          <SpanDetails
            span={selected}
            trace={t}
            onClose={() => setSelectedId(null)}
            onSelectParent={(id) => setSelectedId(id)}
          />
        )}
      </div>
    </div>
  );
}

/** The root: the earliest span without a parent in the trace (the longest one if several start together). */
function findRoot(spans: TraceSpan[]): TraceSpan | null {
  const ids = new Set(spans.map((s) => s.spanId));
  let best: TraceSpan | null = null;
  for (const s of spans) {
    if (s.parentSpanId && ids.has(s.parentSpanId)) continue;
    if (!best || s.startMs < best.startMs || (s.startMs === best.startMs && s.durationMs > best.durationMs)) best = s;
  }
  return best;
}

function BackLink() {
  return (
    <p className="back-link">
      <Link href="/traces">← Traces</Link>
    </p>
  );
}

function Figure({ label, value, className, testId }: { label: string; value: string; className?: string; testId?: string }) {
  return (
    <div className={className ? `figure ${className}` : "figure"}>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}
