"use client";

import { useMemo } from "react";
import { formatDuration } from "./format";
import { serviceColor } from "./serviceColor";
import type { TraceDetail, TraceSpan } from "./traceTypes";
import { SKEW_TOOLTIP } from "./Waterfall";

interface Props {
  span: TraceSpan;
  trace: TraceDetail;
  onClose: () => void;
  onSelectParent: (spanId: string) => void;
}

/** Everything about one span: timing, status, critical-path share, attributes, resource, events. */
export function SpanDetails({ span, trace, onClose, onSelectParent }: Props) {
  const criticalMs = useMemo(
    () => trace.criticalPath.filter((c) => c.spanId === span.spanId).reduce((sum, c) => sum + (c.endMs - c.startMs), 0),
    [trace.criticalPath, span.spanId],
  );
  const parent = useMemo(
    () => (span.parentSpanId ? trace.spans.find((s) => s.spanId === span.parentSpanId) ?? null : null),
    [trace.spans, span.parentSpanId],
  );
  const offset = span.startMs - trace.startMs;
  const share = trace.durationMs > 0 ? criticalMs / trace.durationMs : 0;
  const events = [...(span.events ?? [])].sort((a, b) => a.timeMs - b.timeMs);

  return (
    <aside className="card span-details" aria-label={`Span ${span.name}`} data-testid="span-details">
      <div className="details-head">
        <h2>
          <span className="svc-dot" style={{ background: serviceColor(span.service) }} aria-hidden="true" />
          {span.name}
        </h2>
        <button type="button" className="button small" onClick={onClose} aria-label="Close span details">
          ✕
        </button>
      </div>
      <p className="muted small">
        {span.service} · <span className={`kind kind-${span.kind}`}>{span.kind}</span>
      </p>

      {span.status === "error" ? (
        <div className="status-box error" data-testid="span-status">
          <strong>Error</strong>
          {span.statusMessage ? <>: {span.statusMessage}</> : <> (no status message)</>}
        </div>
      ) : (
        <div className="status-box" data-testid="span-status">
          Status <strong>{span.status}</strong>
          {span.statusMessage ? <>: {span.statusMessage}</> : null}
        </div>
      )}
      {span.clockSkew && <p className="flag-note">⚠ {SKEW_TOOLTIP}</p>}
      {span.missingParent && (
        <p className="flag-note">⚠ Its parent span ({span.parentSpanId}) was not received, so it is shown as a root.</p>
      )}

      <dl className="kv timing">
        <dt>Duration</dt>
        <dd>{formatDuration(span.durationMs)}</dd>
        <dt>Starts at</dt>
        <dd>+{formatDuration(offset)} into the trace</dd>
        <dt title="Time in this span not covered by any child">Self time</dt>
        <dd data-testid="span-self">{formatDuration(span.selfMs)}</dd>
        <dt title="Time of this span on the critical path of the trace">Critical path</dt>
        <dd data-testid="span-critical">
          {criticalMs > 0 ? (
            <>
              {formatDuration(criticalMs)} ({Math.round(share * 1000) / 10}% of the trace)
            </>
          ) : (
            "not on the critical path"
          )}
        </dd>
        <dt>Span id</dt>
        <dd>
          <code>{span.spanId}</code>
        </dd>
        <dt>Parent</dt>
        <dd>
          {parent ? (
            <button type="button" className="linklike" onClick={() => onSelectParent(parent.spanId)}>
              {parent.name}
            </button>
          ) : span.parentSpanId ? (
            <code>{span.parentSpanId} (missing)</code>
          ) : (
            "none (root)"
          )}
        </dd>
        {span.scope && (
          <>
            <dt>Scope</dt>
            <dd>
              <code>{span.scope}</code>
            </dd>
          </>
        )}
      </dl>

      <KeyValues title="Attributes" values={span.attributes} testId="span-attributes" />
      <KeyValues title="Resource" values={span.resource} testId="span-resource" />

      <h3>Events {events.length > 0 && <span className="muted">({events.length})</span>}</h3>
      {events.length === 0 ? (
        <p className="muted small">No events.</p>
      ) : (
        <ol className="events" data-testid="span-events">
          {events.map((ev, i) => (
            <li key={i}>
              <span className="ev-offset" title="Offset from the start of the span">
                +{formatDuration(ev.timeMs - span.startMs)}
              </span>{" "}
              <strong>{ev.name}</strong>
              {ev.attributes && Object.keys(ev.attributes).length > 0 && (
                <dl className="kv nested">
                  {Object.entries(ev.attributes).map(([k, v]) => (
                    <Entry key={k} k={k} v={v} />
                  ))}
                </dl>
              )}
            </li>
          ))}
        </ol>
      )}

      {span.links && span.links.length > 0 && (
        <>
          <h3>Links ({span.links.length})</h3>
          <pre className="links">{JSON.stringify(span.links, null, 2)}</pre>
        </>
      )}
    </aside>
  );
}

function KeyValues({ title, values, testId }: { title: string; values: Record<string, unknown>; testId: string }) {
  const entries = Object.entries(values ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return (
    <>
      <h3>
        {title} {entries.length > 0 && <span className="muted">({entries.length})</span>}
      </h3>
      {entries.length === 0 ? (
        <p className="muted small">None.</p>
      ) : (
        <dl className="kv" data-testid={testId}>
          {entries.map(([k, v]) => (
            <Entry key={k} k={k} v={v} />
          ))}
        </dl>
      )}
    </>
  );
}

function Entry({ k, v }: { k: string; v: unknown }) {
  return (
    <>
      <dt title={k}>{k}</dt>
      <dd>{typeof v === "string" ? v : JSON.stringify(v)}</dd>
    </>
  );
}
