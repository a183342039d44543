"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { AddForm, useAddForm, type FieldErrors } from "./AddForm";
import { DEFAULT_COLLECTOR_PORT, fetchJson, type HealthResponse } from "./api";
import { DataTable } from "./DataTable";
import { DeleteButton } from "./DeleteButton";
import { formatCount, formatDuration } from "./format";
import { formatLabels, labelsOrError } from "./labelLines";
import { MetricBrowser } from "./MetricBrowser";
import type { ScrapeTarget, ScrapeTargetsResponse } from "./metricTypes";
import { PageHead } from "./PageHead";
import { LoadState, StaleBanner } from "./QueryState";
import { Field } from "./SloParts";

// Often enough to see a new target come up within a few seconds of the collector picking it up.
const REFRESH_MS = 5_000;
// A target not scraped for this many intervals (or 30 s, whichever is longer) is no longer being scraped.
const MISSED_INTERVALS = 3;
const MIN_STALE_MS = 30_000;

/** The collector's scrape targets with their last scrape, a form to add one, and a metric browser for the chosen one. */
export function ScrapeTargets() {
  const query = useQuery({
    queryKey: ["scrape-targets"],
    queryFn: ({ signal }) => fetchJson<ScrapeTargetsResponse>("/api/scrape-targets", signal),
    refetchInterval: REFRESH_MS,
  });
  const [browsing, setBrowsing] = useState<string | null>(null);
  const targets = query.data?.targets ?? [];
  const browsed = targets.find((t) => t.id === browsing);

  return (
    <div className="slos">
      <PageHead
        title="Scrape targets"
        subtitle={
          <>
            Prometheus <code>/metrics</code> pages the collector reads on an interval. Their CPU, memory, queue and pool
            metrics are set against the services&apos; latency.
          </>
        }
      />

      <StaleBanner query={query} what="the targets" />

      <LoadState query={query} what="the scrape targets" loading="Loading scrape targets…" empty={targets.length === 0 && <NoTargets />}>
        <div className="card table-wrap">
          <DataTable
            columns={["Job", "URL", { num: "Interval" }, "Source", "Status", { num: "Samples" }, { num: "Took" }, "Actions"]}
            testId="scrape-targets"
          >
            {targets.map((t) => (
              <TargetRow key={t.id} target={t} browsing={t.id === browsing} onBrowse={() => setBrowsing(t.id === browsing ? null : t.id)} />
            ))}
          </DataTable>
        </div>
      </LoadState>

      {browsed && <MetricBrowser key={browsed.id} target={browsed} onClose={() => setBrowsing(null)} />}

      <AddTarget />
    </div>
  );
}

function TargetRow({ target: t, browsing, onBrowse }: { target: ScrapeTarget; browsing: boolean; onBrowse: () => void }) {
  const status = targetStatus(t, Date.now());
  const labels = formatLabels(t.labels);
  return (
    <tr data-testid="scrape-target" className={browsing ? "settings-selected" : undefined}>
      <td>
        <strong>{t.job}</strong>
        {labels && <div className="muted settings-small">{labels}</div>}
      </td>
      <td className="op-name settings-url">{t.url}</td>
      <td className="num">{t.intervalSeconds} s</td>
      <td>
        <span className="settings-badge">{t.source === "file" ? "config file" : "added here"}</span>
      </td>
      <td className="slo-wrap settings-status-cell">
        <span className={`settings-status settings-status-${status.state}`} data-testid="target-status">
          {status.state}
        </span>{" "}
        <span className="muted settings-small">{status.detail}</span>
        {t.lastError && (
          <div className="error-text settings-small" data-testid="target-error">
            {t.lastError}
          </div>
        )}
      </td>
      <td className="num" data-testid="target-samples">
        {formatCount(t.lastSamples)}
      </td>
      <td className="num">{formatDuration(t.lastDurationMs)}</td>
      <td className="slo-row-actions">
        <button type="button" className="button" onClick={onBrowse} aria-expanded={browsing}>
          {browsing ? "Hide metrics" : "Metrics"}
        </button>
        {t.source === "file" ? (
          <span className="muted">From PINCHPOINT_SCRAPE_CONFIG: remove it from that file to stop scraping it.</span>
        ) : (
          <DeleteButton url={`/api/scrape-targets/${encodeURIComponent(t.id)}`} queryKey="scrape-targets" confirmText={`Stop scraping ${t.url} (job “${t.job}”)? Its stored metrics stay.`} />
        )}
      </td>
    </tr>
  );
}

type TargetState = "up" | "down" | "waiting";

/** Up or down in words, from the last scrape's error (shown under it) and how long ago it was. */
function targetStatus(t: ScrapeTarget, now: number): { state: TargetState; detail: string } {
  if (t.lastScrapeMs == null) return { state: "waiting", detail: "for the first scrape (within a few seconds)" };
  const age = Math.max(0, now - t.lastScrapeMs);
  // Whole seconds: the table refreshes every 5 s, so "1.59 s" would be false precision.
  const ago = `scraped ${age < 60_000 ? `${Math.round(age / 1000)} s` : formatDuration(age)} ago`;
  if (t.lastError) return { state: "down", detail: ago };
  if (now - t.lastScrapeMs > Math.max(MISSED_INTERVALS * t.intervalSeconds * 1000, MIN_STALE_MS)) {
    return { state: "down", detail: `not scraped lately: ${ago}; is the collector running?` };
  }
  return { state: "up", detail: ago };
}

/** The ways to get metrics in, when there are no targets yet. */
function NoTargets() {
  const health = useQuery({
    queryKey: ["health"],
    queryFn: ({ signal }) => fetchJson<HealthResponse>("/api/health", signal),
    staleTime: 60_000,
    retry: false,
  });
  // The host the browser used to reach this page is the best guess for Prometheus too.
  const [host, setHost] = useState("<collector>");
  useEffect(() => setHost(globalThis.location?.hostname || "<collector>"), []);
  const port = health.data?.collectorPort ?? DEFAULT_COLLECTOR_PORT;

  return (
    <section className="card empty-state" data-testid="scrape-empty">
      <h2>No scrape targets yet</h2>
      <p>There are three ways to get metrics into Pinchpoint:</p>
      <ol className="settings-ways">
        <li>
          <strong>Add a target with the form below.</strong> The collector starts scraping it within about five seconds.
        </li>
        <li>
          <strong>List them in a file.</strong> Point <code>PINCHPOINT_SCRAPE_CONFIG</code> at a Prometheus-style file with{" "}
          <code>scrape_configs</code>; those targets show here marked “config file”:
          <pre className="settings-code">
            {["scrape_configs:", "  - job_name: node", "    scrape_interval: 15s", "    static_configs:", "      - targets: [\"10.0.0.5:9100\"]"].join("\n")}
          </pre>
        </li>
        <li>
          <strong>Or let Prometheus push them.</strong> Add Pinchpoint as a <code>remote_write</code> destination in{" "}
          <code>prometheus.yml</code>; nothing needs adding here:
          <pre className="settings-code">{["remote_write:", `  - url: http://${host}:${port}/api/v1/write`].join("\n")}</pre>
        </li>
      </ol>
    </section>
  );
}

interface TargetDraft {
  url: string;
  job: string;
  interval: string;
  labels: string;
}

const EMPTY: TargetDraft = { url: "", job: "", interval: "15", labels: "" };

function targetBody(d: TargetDraft, errors: FieldErrors) {
  return {
    url: d.url.trim(),
    job: d.job.trim(),
    intervalSeconds: d.interval.trim() === "" ? undefined : Number(d.interval),
    labels: labelsOrError(d.labels, "labels", errors),
  };
}

function AddTarget() {
  const form = useAddForm(EMPTY, "/api/scrape-targets", targetBody, [["scrape-targets"]]);
  const { draft, set, errors } = form;

  return (
    <AddForm title="Add a scrape target" noun="target" submitLabel="Add target" form={form}>
      <Field label="URL" error={errors.url} hint="The full address of the /metrics page, e.g. http://10.0.0.5:9100/metrics.">
        {(props) => <input {...props} type="url" value={draft.url} onChange={(e) => set({ url: e.target.value })} autoComplete="off" required />}
      </Field>
      <div className="slo-row">
        <Field label="Job" error={errors.job} hint="Becomes the job label, e.g. node or checkout." narrow>
          {(props) => <input {...props} value={draft.job} onChange={(e) => set({ job: e.target.value })} autoComplete="off" required />}
        </Field>
        <Field label="Interval (seconds)" error={errors.intervalSeconds} hint="1 to 3600; 15 if empty." narrow>
          {(props) => <input {...props} type="number" min={1} max={3600} step={1} inputMode="numeric" value={draft.interval} onChange={(e) => set({ interval: e.target.value })} />}
        </Field>
      </div>
      <Field label="Extra labels (optional)" error={errors.labels} hint="One name=value per line, added to every series; job and instance are set from the job and the URL.">
        {(props) => <textarea {...props} rows={2} value={draft.labels} onChange={(e) => set({ labels: e.target.value })} spellCheck={false} />}
      </Field>
    </AddForm>
  );
}
