"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import { parseWindow, type OperationStats } from "./api";
import { formatCount, formatDuration, formatPercent, formatRate, isErrorRateHigh } from "./format";

type SortKey = "name" | "kind" | "requestRate" | "count" | "errorRate" | "p50Ms" | "p95Ms" | "p99Ms" | "criticalPathShare";
type SortDir = "asc" | "desc";

const COLUMNS: ReadonlyArray<{ key: SortKey; label: string; numeric: boolean; title?: string }> = [
  { key: "name", label: "Operation", numeric: false },
  { key: "kind", label: "Kind", numeric: false, title: "Span kind" },
  { key: "requestRate", label: "Req/s", numeric: true, title: "Requests per second over the window" },
  { key: "count", label: "Requests", numeric: true, title: "Spans in the window" },
  { key: "errorRate", label: "Errors", numeric: true, title: "Share of spans with error status" },
  { key: "p50Ms", label: "p50", numeric: true, title: "Median latency" },
  { key: "p95Ms", label: "p95", numeric: true, title: "95th percentile latency" },
  { key: "p99Ms", label: "p99", numeric: true, title: "99th percentile latency" },
  {
    key: "criticalPathShare", label: "Crit. path", numeric: true,
    title: "Share of end-to-end latency this operation owns on the critical path of the window's completed traces",
  },
];

/** Operations of one service, busiest first; click a header to sort by it (again to reverse). */
export function OperationsTable({ operations, service }: { operations: OperationStats[]; service?: string }) {
  const timeWindow = parseWindow(useSearchParams()?.get("window"));
  const [sort, setSort] = useState<{ key: SortKey; dir: SortDir }>({ key: "requestRate", dir: "desc" });

  const rows = useMemo(() => {
    const sign = sort.dir === "asc" ? 1 : -1;
    return [...operations].sort((a, b) => {
      const c = compare(a[sort.key], b[sort.key]);
      // Missing values (no traffic) always sink to the bottom, whatever the direction.
      if (c === null) return a[sort.key] == null ? 1 : -1;
      return c * sign || a.name.localeCompare(b.name);
    });
  }, [operations, sort]);

  if (operations.length === 0) {
    return <p className="muted">No operations recorded in this window.</p>;
  }

  const onSort = (key: SortKey, numeric: boolean) =>
    setSort((s) => (s.key === key ? { key, dir: s.dir === "asc" ? "desc" : "asc" } : { key, dir: numeric ? "desc" : "asc" }));

  return (
    <div className="table-wrap">
      <table className="data-table operations">
        <thead>
          <tr>
            {COLUMNS.map((col) => {
              const active = sort.key === col.key;
              return (
                <th
                  key={col.key}
                  scope="col"
                  className={col.numeric ? "num" : undefined}
                  aria-sort={active ? (sort.dir === "asc" ? "ascending" : "descending") : "none"}
                >
                  <button type="button" className="sort" title={col.title} onClick={() => onSort(col.key, col.numeric)}>
                    {col.label}
                    <span className="sort-arrow" aria-hidden="true">
                      {active ? (sort.dir === "asc" ? "▲" : "▼") : ""}
                    </span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((op) => {
            const high = isErrorRateHigh(op.errorRate);
            return (
              <tr key={`${op.kind}\u0000${op.name}`} data-testid="operation-row">
                <td className="op-name" title={op.name}>
                  {service ? (
                    <Link
                      href={`/traces?service=${encodeURIComponent(service)}&operation=${encodeURIComponent(op.name)}&window=${timeWindow}`}
                      title={`Traces of ${op.name}`}
                    >
                      {op.name}
                    </Link>
                  ) : (
                    op.name
                  )}
                </td>
                <td>
                  <span className={`kind kind-${op.kind}`}>{op.kind}</span>
                </td>
                <td className="num">{formatRate(op.requestRate)}</td>
                <td className="num">{formatCount(op.count)}</td>
                <td className={high ? "num error-high" : "num"} title={`${formatCount(op.errors)} errors`}>
                  {formatPercent(op.errorRate)}
                </td>
                <td className="num">{formatDuration(op.p50Ms)}</td>
                <td className="num">{formatDuration(op.p95Ms)}</td>
                <td className="num">{formatDuration(op.p99Ms)}</td>
                <td className="num" title={`${formatDuration(op.criticalPathMs)} on the critical path, ${formatDuration(op.selfMs)} self time`}>
                  {op.criticalPathMs > 0 ? formatPercent(op.criticalPathShare) : "–"}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** -1/0/1, or null when exactly one side is missing. */
function compare(a: string | number | null, b: string | number | null): number | null {
  if (a == null && b == null) return 0;
  if (a == null || b == null) return null;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b));
}
