"use client";

import { useMemo } from "react";
import { WINDOW_LABELS, type LatencyResponse, type ServicesResponse } from "./api";
import { EmptyState } from "./EmptyState";
import { formatClock, formatClockSeconds } from "./format";
import { ServiceCard, type LatencyState } from "./ServiceCard";
import { useTimeWindow, useWindowedQuery } from "./useWindowedQuery";
import { WindowSelector } from "./WindowSelector";

const REFRESH_MS = 10_000;

/** The home page: every service that sent spans in the window, refreshed every 10 s. */
export function ServicesOverview() {
  const timeWindow = useTimeWindow();
  const services = useWindowedQuery<ServicesResponse>("/api/services", timeWindow, REFRESH_MS);
  const latency = useWindowedQuery<LatencyResponse>("/api/services/latency", timeWindow, REFRESH_MS);

  const sorted = useMemo(
    () => [...(services.data?.services ?? [])].sort((a, b) => a.name.localeCompare(b.name)),
    [services.data],
  );
  const seriesByService = useMemo(
    () => new Map((latency.data?.series ?? []).map((s) => [s.service, s])),
    [latency.data],
  );

  const switching = services.isPlaceholderData;

  return (
    <div className="overview">
      <div className="page-head">
        <div>
          <h1>Services</h1>
          <p className="muted subtitle">
            Entry spans per service over the {WINDOW_LABELS[timeWindow]}
            {services.data && !switching && (
              <>
                {" "}
                ({formatClock(services.data.from)}–{formatClock(services.data.to)}), updated{" "}
                {formatClockSeconds(services.dataUpdatedAt)}
              </>
            )}
            {switching && <> · loading…</>}
          </p>
        </div>
        <WindowSelector value={timeWindow} />
      </div>

      {services.isError && services.data && (
        <div className="banner warn" role="status">
          Could not refresh services: {services.error.message}. Showing data from{" "}
          {formatClockSeconds(services.dataUpdatedAt)}.
        </div>
      )}

      {services.isPending ? (
        <LoadingSkeleton />
      ) : services.isError && !services.data ? (
        <div className="card error-state" role="alert" data-testid="error-state">
          <p>Could not load services: {services.error.message}</p>
          <button type="button" className="button" onClick={() => services.refetch()} disabled={services.isFetching}>
            {services.isFetching ? "Retrying…" : "Retry"}
          </button>
        </div>
      ) : sorted.length === 0 ? (
        <EmptyState timeWindow={timeWindow} />
      ) : (
        <div className={switching ? "service-list stale" : "service-list"}>
          {sorted.map((svc) => (
            <ServiceCard key={svc.name} service={svc} latency={latencyFor(svc.name)} />
          ))}
        </div>
      )}
    </div>
  );

  function latencyFor(name: string): LatencyState {
    const data = latency.data;
    if (data) {
      return { status: "success", series: seriesByService.get(name), from: data.from, to: data.to, stepMs: data.stepMs };
    }
    const from = services.data?.from ?? 0;
    const to = services.data?.to ?? 0;
    if (latency.isError) return { status: "error", error: latency.error.message, from, to, stepMs: 0 };
    return { status: "pending", from, to, stepMs: 0 };
  }
}

export function LoadingSkeleton() {
  return (
    <div className="service-list" aria-busy="true">
      <p className="muted" role="status">
        Loading services…
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
