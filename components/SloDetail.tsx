"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { ReactNode } from "react";
import { fetchJson } from "./api";
import { DataTable, type Column } from "./DataTable";
import { formatCount, formatDuration } from "./format";
import { PageHead } from "./PageHead";
import { LoadState, StaleBanner } from "./QueryState";
import { BudgetChart, BurnRateChart, SliChart } from "./SloCharts";
import {
  BudgetBar,
  describeObjective,
  describeScope,
  formatBudget,
  formatBurnRate,
  formatDateTime,
  formatSli,
  QueryError,
  StateBadge,
} from "./SloParts";
import type { ReportPeriod, RuleStatus, SloDefinition, SloResponse, SloStatus } from "./sloTypes";

const REFRESH_MS = 30_000;

/** One SLO: where it stands, how the budget went over the window, its alerts and its reports. */
export function SloDetail({ id }: { id: string }) {
  const path = `/api/slos/${encodeURIComponent(id)}`;
  const slo = useQuery({
    queryKey: ["slo", id],
    queryFn: ({ signal }) => fetchJson<SloResponse>(path, signal),
  });
  const status = useQuery({
    queryKey: ["slo-status", id],
    queryFn: ({ signal }) => fetchJson<SloStatus>(`${path}/status`, signal),
    refetchInterval: REFRESH_MS,
    enabled: slo.isSuccess,
  });

  if (slo.isPending) {
    return (
      <p className="muted card" role="status" aria-busy="true">
        Loading the SLO…
      </p>
    );
  }
  if (slo.isError) {
    return (
      <div className="slos">
        <QueryError what="the SLO" query={slo} />
        <p>
          <Link href="/slos">← All SLOs</Link>
        </p>
      </div>
    );
  }

  const def = slo.data.slo;
  const s = status.data;
  return (
    <div className="slos">
      <PageHead
        titleClassName="slo-title"
        title={
          <>
            {def.name} {s && <StateBadge state={s.state} />}
          </>
        }
        subtitle={
          <>
            {describeScope(def)} · {describeObjective(def)} · <Link href="/slos">All SLOs</Link>
          </>
        }
        actions={
          <Link className="button" href={`/slos/${encodeURIComponent(def.id)}/edit`}>
            Edit
          </Link>
        }
      />

      <StaleBanner query={status} what="the status" />

      <LoadState query={status} what="the SLO's status" loading="Working out the SLI and error budget…">
        {s && <StatusBody slo={def} status={s} />}
      </LoadState>
    </div>
  );
}

function StatusBody({ slo, status: s }: { slo: SloDefinition; status: SloStatus }) {
  return (
    <div className="slo-sections">
      <section className="card">
        <p className="slo-description" data-testid="slo-description">
          {s.description}
        </p>
        <dl className="headline slo-figures">
          <div className="figure">
            <dt>SLI over {slo.windowDays} days</dt>
            <dd className={s.sli != null && s.sli < slo.target ? "error-text" : undefined}>{formatSli(s.sli)}</dd>
          </div>
          <div className="figure">
            <dt>target</dt>
            <dd>{formatSli(slo.target)}</dd>
          </div>
          <div className="figure">
            <dt>good / total requests</dt>
            <dd>
              {formatCount(s.good)} / {formatCount(s.total)}
            </dd>
          </div>
          <div className="figure">
            <dt>budget left</dt>
            <dd>
              <BudgetBar remaining={s.errorBudgetRemaining} />
            </dd>
          </div>
          {s.timeToExhaustionHours != null && s.timeToExhaustionHours > 0 && (
            <div className="figure">
              <dt>budget gone in</dt>
              <dd>{formatDuration(s.timeToExhaustionHours * 3_600_000)}</dd>
            </div>
          )}
        </dl>
      </section>

      {s.burnDown.length === 0 ? (
        <p className="card muted">No requests in the window yet, so there is nothing to chart.</p>
      ) : (
        <div className="slo-charts">
          <section className="card">
            <h3>SLI over the window</h3>
            <SliChart points={s.burnDown} target={slo.target} />
          </section>
          <section className="card">
            <h3>Error budget left</h3>
            <BudgetChart points={s.burnDown} />
          </section>
        </div>
      )}

      <div className="slo-charts">
        <section className="card">
          <h3>Burn rate per window</h3>
          <BurnRateChart rates={s.burnRates} />
          <p className="muted slo-hint">1× spends the budget exactly over {slo.windowDays} days; above it, the budget runs out early.</p>
        </section>
        <TableCard
          title="Alert rules"
          empty={s.alerts.length === 0 && "This SLO has no alert rules; it is tracked but never alerts."}
          columns={["Rule", "Severity", "Fires at", { num: "Long" }, { num: "Short" }, "Now"]}
          testId="slo-rules"
        >
          {s.alerts.map((a) => (
            <tr key={a.name}>
              <td className="slo-wrap">{a.name}</td>
              <td>{a.severity}</td>
              <td className="slo-wrap">
                ≥ {a.factor}× over {a.longWindow} and {a.shortWindow}
              </td>
              <td className="num">{formatBurnRate(a.longBurnRate)}</td>
              <td className="num">{formatBurnRate(a.shortBurnRate)}</td>
              <td className="slo-wrap">
                {a.firing ? (
                  <span className="slo-state slo-state-burning-fast">firing{a.since != null && ` since ${formatDateTime(a.since)}`}</span>
                ) : (
                  <span className="muted" data-testid="rule-quiet">
                    {whyQuiet(a, slo.minEvents)}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </TableCard>
      </div>

      <div className="slo-charts">
        <ReportTable title="By month" periods={s.months} testId="months" />
        <ReportTable title="By week" periods={s.weeks} testId="weeks" />
      </div>

      <TableCard
        title="Example failing requests"
        empty={s.exampleTraces.length === 0 && "No failing requests in the window."}
        columns={["Started", { num: "Duration" }, "Why it counts against the SLO", "Trace"]}
        testId="slo-traces"
      >
        {s.exampleTraces.map((t) => (
          <tr key={t.traceId}>
            <td>{formatDateTime(t.startMs)}</td>
            <td className="num">{formatDuration(t.durationMs)}</td>
            <td>{t.error ? "failed" : `slower than ${slo.thresholdMs ?? "?"} ms`}</td>
            <td className="op-name">
              <Link href={`/traces/${t.traceId}`}>{t.traceId.slice(0, 16)}…</Link>
            </td>
          </tr>
        ))}
      </TableCard>
    </div>
  );
}

/** The status API also says how many events the long window holds and whether the condition holds now. */

/** Why a rule that is not firing is quiet: too few events to judge, or one window below the factor. */
function whyQuiet(a: RuleStatus, minEvents: number): string {
  if (a.conditionMet) return "pending: both windows burn fast enough; it fires once that has lasted the rule's pending time";
  if (a.longTotal < minEvents) {
    return `quiet: only ${formatCount(a.longTotal)} of the ${formatCount(minEvents)} events needed in ${a.longWindow}`;
  }
  const longHot = a.longBurnRate >= a.factor;
  const shortHot = a.shortBurnRate >= a.factor;
  if (longHot && !shortHot) return `quiet: the ${a.shortWindow} window holds it back (below ${a.factor}×), so the burning has eased`;
  if (shortHot && !longHot) return `quiet: the ${a.longWindow} window holds it back (below ${a.factor}×), so the burning is too recent`;
  return "quiet";
}

/** A card with a heading and a table, or a line saying why there are no rows. */
function TableCard({ title, empty, columns, testId, children }: {
  title: string;
  /** Said instead of the table when there are no rows. */
  empty: string | false;
  columns: Column[];
  testId: string;
  children: ReactNode;
}) {
  return (
    <section className="card">
      <h3>{title}</h3>
      {empty ? (
        <p className="muted">{empty}</p>
      ) : (
        <div className="table-wrap">
          <DataTable columns={columns} testId={testId}>
            {children}
          </DataTable>
        </div>
      )}
    </section>
  );
}

function ReportTable({ title, periods, testId }: { title: string; periods: ReportPeriod[]; testId: string }) {
  return (
    <TableCard
      title={title}
      empty={periods.length === 0 && "No complete or current period with requests yet."}
      columns={["Period", { num: "Requests" }, { num: "SLI achieved" }, { num: "Budget left" }, "Budget blown"]}
      testId={testId}
    >
      {periods.map((p) => (
        <tr key={p.fromMs}>
          <td>{p.label}</td>
          <td className="num">{formatCount(p.total)}</td>
          <td className="num">{formatSli(p.sli)}</td>
          <td className="num">{formatBudget(p.budgetRemaining)}</td>
          <td>{p.budgetBlown ? <strong className="error-text">yes</strong> : "no"}</td>
        </tr>
      ))}
    </TableCard>
  );
}
