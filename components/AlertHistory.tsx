"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { fetchJson } from "./api";
import { DataTable } from "./DataTable";
import { PageHead } from "./PageHead";
import { LoadState, StaleBanner } from "./QueryState";
import { formatDateTime } from "./SloParts";
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
      <PageHead
        title="Alerts"
        subtitle={
          <>
            Alerts raised by the SLOs' burn-rate rules, and whether each channel was told.{" "}
            <Link href="/settings/alerts">Alert channels</Link>
          </>
        }
      />

      <StaleBanner query={query} what="the alerts" showing="older data" />

      <LoadState query={query} what="the alerts" loading="Loading alerts…" empty={alerts.length === 0 && <NoAlerts />}>
        <div className="card table-wrap">
          <DataTable
            columns={["SLO", "Rule", "Severity", "State", "Started", "Resolved", "Notifications"]}
            className="slo-alerts"
            testId="alerts"
          >
            {alerts.map((a) => (
              <AlertRow key={a.id} alert={a} />
            ))}
          </DataTable>
        </div>
      </LoadState>
    </div>
  );
}

/** What raises an alert, and where it goes. */
function NoAlerts() {
  return (
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
  );
}

function AlertRow({ alert: a }: { alert: AlertsResponse["alerts"][number] }) {
  return (
    <tr data-testid="alert-row">
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
