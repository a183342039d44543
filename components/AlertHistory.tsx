"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { fetchJson } from "./api";
import { formatDateTime, QueryError } from "./SloParts";
import type { AlertsResponse, Delivery } from "./sloTypes";

const REFRESH_MS = 30_000;

/** Every alert the SLO rules raised, newest first, with how its notifications went. */
export function AlertHistory() {
  const query = useQuery({
    queryKey: ["alerts"],
    queryFn: ({ signal }) => fetchJson<AlertsResponse>("/api/alerts", signal),
    refetchInterval: REFRESH_MS,
  });
  const alerts = query.data?.alerts ?? [];

  return (
    <div className="slos">
      <div className="page-head">
        <div>
          <h1>Alerts</h1>
          <p className="muted subtitle">
            Alerts raised by the SLOs' burn-rate rules, and whether each channel was told.{" "}
            <Link href="/settings/alerts">Alert channels</Link>
          </p>
        </div>
      </div>

      {query.isError && query.data && (
        <div className="banner warn" role="status">
          Could not refresh the alerts: {query.error.message}. Showing older data.
        </div>
      )}

      {query.isPending ? (
        <p className="muted card" role="status" aria-busy="true">
          Loading alerts…
        </p>
      ) : query.isError && !query.data ? (
        <QueryError what="the alerts" query={query} />
      ) : alerts.length === 0 ? (
        <section className="card empty-state" data-testid="alerts-empty">
          <h2>No alerts so far</h2>
          <p>
            An alert appears here when an SLO's error budget burns faster than one of its rules allows, over both the
            rule's long and short window (and the long window saw enough requests). It is sent to every{" "}
            <Link href="/settings/alerts">alert channel</Link> when it fires and again when it resolves.
          </p>
          <p className="muted">
            No SLOs yet? <Link href="/slos/new">Create one</Link>; the default rules page on a fast burn and open a ticket on a slow one.
          </p>
        </section>
      ) : (
        <div className="card table-wrap">
          <table className="data-table slo-alerts" data-testid="alerts">
            <thead>
              <tr>
                <th scope="col">SLO</th>
                <th scope="col">Rule</th>
                <th scope="col">Severity</th>
                <th scope="col">State</th>
                <th scope="col">Started</th>
                <th scope="col">Resolved</th>
                <th scope="col">Notifications</th>
              </tr>
            </thead>
            <tbody>
              {alerts.map((a) => (
                <tr key={a.id} data-testid="alert-row">
                  <td>
                    <Link href={`/slos/${encodeURIComponent(a.sloId)}`}>{a.sloName}</Link>
                    <span className="muted"> · {a.service}</span>
                  </td>
                  <td>{a.rule}</td>
                  <td>{a.severity}</td>
                  <td>
                    <span className={`slo-alert-state slo-alert-${a.state}`}>{a.state}</span>
                  </td>
                  <td>{formatDateTime(a.startedAt)}</td>
                  <td>{formatDateTime(a.resolvedAt)}</td>
                  <td className="slo-deliveries">
                    {a.deliveries.length === 0 ? (
                      <span className="muted">no channels</span>
                    ) : (
                      <ul>
                        {a.deliveries.map((d) => (
                          <li key={d.channelId}>{describeDelivery(d)}</li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** "ops-slack: delivered after 2 attempts", "pager: failed after 5 attempts (HTTP 500)". */
function describeDelivery(d: Delivery): string {
  const attempts = `${d.attempts} attempt${d.attempts === 1 ? "" : "s"}`;
  if (d.status === "delivered") return `${d.channelName}: delivered after ${attempts}`;
  const error = d.lastError ? ` (${d.lastError})` : "";
  if (d.status === "failed") return `${d.channelName}: failed after ${attempts}${error}`;
  const next = d.nextAttemptAt != null ? `, next try ${formatDateTime(d.nextAttemptAt)}` : "";
  return `${d.channelName}: pending, ${attempts} so far${error}${next}`;
}
