"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { fetchJson, parseWindow, WINDOWS, WINDOW_LABELS, type ServicesResponse, type WindowName } from "./api";
import { DataTable } from "./DataTable";
import { formatClockSeconds, formatDuration } from "./format";
import { PageHead } from "./PageHead";
import { LoadState, StaleBanner } from "./QueryState";
import { serviceColor } from "./serviceColor";
import type { TraceSearchResponse } from "./traceTypes";

/** The search as it lives in the URL, so that a search can be linked. */
interface SearchState {
  service: string;
  operation: string;
  minDurationMs: string;
  errorsOnly: boolean;
  window: WindowName;
}

function readState(params: URLSearchParams | null): SearchState {
  const min = params?.get("minDurationMs") ?? "";
  return {
    service: params?.get("service") ?? "",
    operation: params?.get("operation") ?? "",
    minDurationMs: Number(min) > 0 ? min : "",
    errorsOnly: params?.get("errorsOnly") === "true",
    window: parseWindow(params?.get("window")),
  };
}

function toQuery(s: SearchState): string {
  const p = new URLSearchParams();
  if (s.service) p.set("service", s.service);
  if (s.operation) p.set("operation", s.operation);
  if (Number(s.minDurationMs) > 0) p.set("minDurationMs", String(Number(s.minDurationMs)));
  if (s.errorsOnly) p.set("errorsOnly", "true");
  p.set("window", s.window);
  return p.toString();
}

/** The trace search page: filters in the URL, results slowest first, each linking to its trace. */
export function TraceSearch() {
  const router = useRouter();
  const pathname = usePathname() ?? "/traces";
  const searchParams = useSearchParams();
  const state = useMemo(() => readState(searchParams), [searchParams]);
  const query = toQuery(state);

  // The controls show what was chosen at once (the URL updates a moment later) and follow the
  // URL when it changes (back/forward, a linked search). The min-duration box is applied on
  // submit or blur.
  const [form, setForm] = useState(state);
  const [minDraft, setMinDraft] = useState(state.minDurationMs);
  useEffect(() => {
    setForm(state);
    setMinDraft(state.minDurationMs);
  }, [state]);

  const apply = (patch: Partial<SearchState>) => {
    const next = { ...form, ...patch };
    setForm(next);
    router.replace(`${pathname}?${toQuery(next)}`, { scroll: false });
  };

  const services = useQuery({
    queryKey: ["services", state.window],
    queryFn: ({ signal }) => fetchJson<ServicesResponse>(`/api/services?window=${state.window}`, signal),
    placeholderData: keepPreviousData,
  });

  const results = useQuery({
    queryKey: ["trace-search", query],
    queryFn: ({ signal }) => fetchJson<TraceSearchResponse>(`/api/traces?${query}&limit=50`, signal),
    placeholderData: keepPreviousData,
  });

  const serviceNames = useMemo(() => {
    const names = new Set((services.data?.services ?? []).map((s) => s.name));
    if (form.service) names.add(form.service); // a linked service stays visible even if quiet now
    return [...names].sort((a, b) => a.localeCompare(b));
  }, [services.data, form.service]);

  const operationNames = useMemo(() => {
    const all = services.data?.services ?? [];
    const names = new Set<string>();
    for (const svc of all) {
      if (form.service && svc.name !== form.service) continue;
      for (const op of svc.operations) names.add(op.name);
    }
    if (form.operation) names.add(form.operation);
    return [...names].sort((a, b) => a.localeCompare(b));
  }, [services.data, form.service, form.operation]);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const min = Number(minDraft);
    apply({ minDurationMs: Number.isFinite(min) && min > 0 ? String(min) : "" });
    if (toQuery({ ...form, minDurationMs: Number.isFinite(min) && min > 0 ? String(min) : "" }) === query) {
      void results.refetch();
    }
  };

  const traces = results.data?.traces ?? [];
  const stale = results.isPlaceholderData;

  return (
    <div className="trace-search">
      <PageHead
        title="Traces"
        subtitle={<>Find traces by service, operation, duration and errors over the {WINDOW_LABELS[state.window]}; slowest first.</>}
      />

      <form className="card search-form" onSubmit={onSubmit} aria-label="Trace search" data-testid="trace-search-form">
        <label>
          <span>Service</span>
          <select
            name="service"
            value={form.service}
            onChange={(e) => apply({ service: e.target.value, operation: "" })}
            aria-describedby={services.isError ? "services-error" : undefined}
          >
            <option value="">All services</option>
            {serviceNames.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Operation</span>
          <select name="operation" value={form.operation} onChange={(e) => apply({ operation: e.target.value })}>
            <option value="">All operations</option>
            {operationNames.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label className="narrow">
          <span>Min duration (ms)</span>
          <input
            name="minDurationMs"
            type="number"
            min={0}
            step="any"
            inputMode="decimal"
            placeholder="any"
            value={minDraft}
            onChange={(e) => setMinDraft(e.target.value)}
            onBlur={() => {
              const min = Number(minDraft);
              const v = Number.isFinite(min) && min > 0 ? String(min) : "";
              if (v !== form.minDurationMs) apply({ minDurationMs: v });
            }}
          />
        </label>
        <label className="narrow">
          <span>Window</span>
          <select name="window" value={form.window} onChange={(e) => apply({ window: parseWindow(e.target.value) })}>
            {WINDOWS.map((w) => (
              <option key={w} value={w}>
                {w} ({WINDOW_LABELS[w]})
              </option>
            ))}
          </select>
        </label>
        <label className="checkbox">
          <input
            name="errorsOnly"
            type="checkbox"
            checked={form.errorsOnly}
            onChange={(e) => apply({ errorsOnly: e.target.checked })}
          />
          <span>Errors only</span>
        </label>
        <button type="submit" className="button primary" disabled={results.isFetching}>
          {results.isFetching ? "Searching…" : "Search"}
        </button>
      </form>
      {services.isError && (
        <p className="muted small" id="services-error" role="status">
          Could not load the list of services ({services.error.message}); you can still search by the current filters.
        </p>
      )}

      <StaleBanner query={results} what="the results" showing="the previous results" />

      <LoadState
        query={results}
        action="search"
        what="traces"
        loading="Searching traces…"
        empty={traces.length === 0 && <NoTraces state={state} />}
      >
        <div className={stale ? "card results stale" : "card results"}>
          <p className="muted small results-count">
            {traces.length === 50 ? "The 50 slowest matching traces" : `${traces.length} matching trace${traces.length === 1 ? "" : "s"}`}
            {results.data && (
              <>
                {" "}
                between {formatClockSeconds(results.data.from)} and {formatClockSeconds(results.data.to)}
              </>
            )}
            {stale && " · loading…"}
          </p>
          <div className="table-wrap">
            <DataTable
              columns={["Time", "Service", "Operation", { num: "Duration" }, "Status", "Trace"]}
              className="traces-table"
              testId="trace-results"
            >
              {traces.map((t) => {
                const href = `/traces/${t.traceId}`;
                return (
                  <tr key={t.traceId} data-testid="trace-row" data-trace-id={t.traceId}>
                    <td className="time" title={new Date(t.startMs).toISOString()}>
                      {formatClockSeconds(t.startMs)}
                    </td>
                    <td>
                      <span className="svc-chip">
                        <span className="svc-dot" style={{ background: serviceColor(t.service) }} aria-hidden="true" />
                        {t.service}
                      </span>
                    </td>
                    <td className="op-name">
                      <Link href={href}>{t.operation}</Link>
                    </td>
                    <td className="num">{formatDuration(t.durationMs)}</td>
                    <td>{t.error ? <span className="badge error">error</span> : <span className="badge ok">ok</span>}</td>
                    <td className="trace-id">
                      <Link href={href} title={t.traceId}>
                        {t.traceId.slice(0, 12)}…
                      </Link>
                    </td>
                  </tr>
                );
              })}
            </DataTable>
          </div>
        </div>
      </LoadState>
    </div>
  );
}

/** No trace matched: which filters to loosen, and why recent or old traces may be missing. */
function NoTraces({ state }: { state: SearchState }) {
  return (
    <div className="card empty-results" data-testid="traces-empty" role="status">
      <p>
        <strong>No traces match these filters</strong> in the {WINDOW_LABELS[state.window]}.
      </p>
      <p className="muted">
        Try a longer window
        {state.minDurationMs ? ", a lower minimum duration" : ""}
        {state.errorsOnly ? ", turning off “errors only”" : ""}
        {state.operation ? ", all operations" : ""}
        {state.service ? " or all services" : ""}. Raw spans are kept for a limited time (24 h by default), and
        spans take a few seconds to be searchable after they are sent.
      </p>
    </div>
  );
}
