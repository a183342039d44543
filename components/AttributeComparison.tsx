"use client";

import { useQuery } from "@tanstack/react-query";
import { type WindowName, fetchJson } from "./api";
import { formatCount, formatDuration, formatPercent } from "./format";

/** GET /api/bottlenecks/attributes */
export interface AttributeValueComparison {
  key: string;
  value: string;
  flaggedShare: number;
  baselineShare: number;
  lift: number | null;
  flaggedCount: number;
  baselineCount: number;
}

export interface AttributeComparisonResponse {
  service: string;
  operation: string;
  window: string;
  from: number;
  to: number;
  flaggedBy: "latency" | "errors";
  threshold?: number;
  sampled: number;
  flagged: number;
  baseline: number;
  attributes: AttributeValueComparison[];
}

export interface AttributeComparisonQuery {
  service: string;
  operation: string;
  timeWindow: WindowName;
  /** Flag spans at least this slow… */
  minDurationMs?: number;
  /** …or the failing ones. */
  errorsOnly?: boolean;
}

export function attributeComparisonUrl(q: AttributeComparisonQuery): string {
  const p = new URLSearchParams({ service: q.service, operation: q.operation, window: q.timeWindow });
  if (q.errorsOnly) p.set("errorsOnly", "true");
  else p.set("minDurationMs", String(Math.round((q.minDurationMs ?? 0) * 1000) / 1000));
  return `/api/bottlenecks/attributes?${p.toString()}`;
}

/**
 * Which attribute values are over-represented among the slow (or failing) spans of one operation,
 * against its other spans in the window: key, value, the share in each group, and the lift.
 */
export function AttributeComparison(props: AttributeComparisonQuery & { enabled?: boolean }) {
  const url = attributeComparisonUrl(props);
  const q = useQuery({
    queryKey: ["attribute-comparison", url],
    queryFn: ({ signal }) => fetchJson<AttributeComparisonResponse>(url, signal),
    enabled: props.enabled ?? true,
    staleTime: 30_000,
  });
  const flaggedWord = props.errorsOnly ? "failing" : "slow";

  let body: React.ReactNode;
  let state: "loading" | "error" | "empty" | "ready";
  if (q.isPending) {
    state = "loading";
    body = <p className="ac-note">Comparing the attributes of {flaggedWord} spans with the rest…</p>;
  } else if (q.isError) {
    state = "error";
    body = (
      <p className="ac-note ac-error" role="alert">
        Could not load the attribute comparison: {q.error.message}.{" "}
        <button type="button" className="button" onClick={() => void q.refetch()}>
          Retry
        </button>
      </p>
    );
  } else if (q.data.flagged === 0 || q.data.baseline === 0) {
    state = "empty";
    body = (
      <p className="ac-note">
        Not enough spans to compare: {formatCount(q.data.flagged)} {flaggedWord} and {formatCount(q.data.baseline)} other
        {q.data.baseline === 1 ? "" : "s"} of this operation in the window
        {q.data.sampled === 0 ? " (raw spans may have aged out of retention)" : ""}.
      </p>
    );
  } else if (q.data.attributes.length === 0) {
    state = "empty";
    body = (
      <p className="ac-note">
        No attribute value stands out: the {formatCount(q.data.flagged)} {flaggedWord} spans look like the{" "}
        {formatCount(q.data.baseline)} others.
      </p>
    );
  } else {
    state = "ready";
    const d = q.data;
    body = (
      <>
        <p className="ac-note">
          {formatCount(d.flagged)} {flaggedWord} span{d.flagged === 1 ? "" : "s"}
          {d.flaggedBy === "latency" && d.threshold !== undefined && <> (≥ {formatDuration(d.threshold)})</>} against{" "}
          {formatCount(d.baseline)} other{d.baseline === 1 ? "" : "s"}; the values most over-represented among the{" "}
          {flaggedWord} ones first.
        </p>
        <div className="ac-scroll">
          <table className="data-table ac-table">
            <thead>
              <tr>
                <th scope="col">key</th>
                <th scope="col">value</th>
                <th scope="col" className="num">
                  share among {flaggedWord}
                </th>
                <th scope="col" className="num">
                  share among the rest
                </th>
                <th scope="col" className="num">
                  lift
                </th>
              </tr>
            </thead>
            <tbody>
              {d.attributes.map((a) => (
                <tr key={`${a.key}\u0000${a.value}`} data-testid="attribute-row" data-key={a.key} data-value={a.value}>
                  <th scope="row" className="ac-key">
                    {a.key}
                  </th>
                  <td className="ac-value" title={a.value}>
                    <code>{a.value}</code>
                  </td>
                  <td className="num">
                    <Share share={a.flaggedShare} count={a.flaggedCount} flagged />
                  </td>
                  <td className="num">
                    <Share share={a.baselineShare} count={a.baselineCount} />
                  </td>
                  <td className="num" title={a.lift === null ? "only among the " + flaggedWord + " spans" : undefined}>
                    {a.lift === null ? "only here" : `${a.lift < 10 ? a.lift.toFixed(1) : Math.round(a.lift)}×`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </>
    );
  }

  return (
    <section className="ac" data-testid="attribute-comparison" data-state={state} aria-live="polite">
      {body}
    </section>
  );
}

function Share({ share, count, flagged }: { share: number; count: number; flagged?: boolean }) {
  return (
    <span className="ac-share" title={`${formatCount(count)} span${count === 1 ? "" : "s"}`}>
      <span className="ac-bar" aria-hidden="true">
        <span className={flagged ? "ac-fill ac-fill-flagged" : "ac-fill"} style={{ width: `${Math.min(100, share * 100)}%` }} />
      </span>
      <span className="ac-pct">{formatPercent(share)}</span>
    </span>
  );
}
