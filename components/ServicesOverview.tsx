"use client";

import { useMemo } from "react";
import { WINDOW_LABELS, type LatencyResponse, type ServicesResponse } from "./api";
import { EmptyState } from "./EmptyState";
import { ServiceCard, type LatencyState } from "./ServiceCard";
import { useTimeWindow, useWindowedQuery } from "./useWindowedQuery";
import { LoadError, WindowedPageHead } from "./WindowedPage";

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
      <WindowedPageHead
        title="Services"
        what="services"
        timeWindow={timeWindow}
        query={services}
        description={<>Entry spans per service over the {WINDOW_LABELS[timeWindow]}</>}
      />

      {services.isPending ? (
        <LoadingSkeleton />
      ) : services.isError && !services.data ? (
        <LoadError what="services" query={services} />
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

export function LoadingSkeleton({ label = "Loading services…" }: { label?: string }) {
  return (
    <div className="service-list" aria-busy="true">
      <p className="muted" role="status">
        {label}
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
