"use client";

import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { AddForm, useAddForm, type FieldErrors } from "./AddForm";
import { fetchJson, type ResourceSeries, type ResourcesResponse } from "./api";
import { DataTable } from "./DataTable";
import { DeleteButton } from "./DeleteButton";
import { formatPercent, formatRate } from "./format";
import { labelsOrError } from "./labelLines";
import { KIND_LABELS, kindLabel, type MappingsResponse, type ResourceKind } from "./metricTypes";
import { PageHead } from "./PageHead";
import { LoadState } from "./QueryState";
import { Field, FieldMessage } from "./SloParts";
import type { SloOptionsResponse } from "./sloTypes";

const REFRESH_MS = 30_000;
// Utilization above these shares is shown amber, then red.
const BUSY = 0.7;
const SATURATED = 0.9;

/** The resources found in the metrics and the user's own mappings, with a form to add one. */
export function ResourceMappings() {
  return (
    <div className="slos">
      <PageHead
        title="Resources"
        subtitle="CPU, memory, queues and pools the services depend on. Most are found in the scraped metrics; map the others here, so that bottleneck findings can blame them."
      />
      <ResourcesFound />
      <Mappings />
      <AddMapping />
    </div>
  );
}

function ResourcesFound() {
  const query = useQuery({
    queryKey: ["resources"],
    queryFn: ({ signal }) => fetchJson<ResourcesResponse>("/api/resources?window=1h", signal),
    refetchInterval: REFRESH_MS,
  });
  const resources = query.data?.resources ?? [];

  return (
    <LoadState
      query={query}
      what="the resources"
      loading="Looking for resources in the last hour of metrics…"
      empty={
        resources.length === 0 && (
          <p className="card" data-testid="resources-empty">
            <strong>No resources in the last hour.</strong> They are found in scraped or remote-written metrics (process CPU
            and memory, container limits, queue depths, connection pools); add a scrape target under Scrape targets, or
            map a metric below.
          </p>
        )
      }
    >
      <section className="card table-wrap">
        <h2 className="settings-section-title">Resources found in the last hour</h2>
        <DataTable columns={["Resource", "Kind", "Used by", "Metric", "Utilization"]} testId="resources">
          {resources.map((r) => (
            <tr key={r.id} data-testid="resource-row">
              <td className="slo-wrap">
                <strong>{r.name}</strong>{" "}
                <span className="settings-badge">{r.source === "mapping" ? "your mapping" : "found"}</span>
                <div className="muted settings-small">
                  {r.instances} {r.instances === 1 ? "instance" : "instances"}
                </div>
              </td>
              <td>{kindLabel(r.kind)}</td>
              <td className="slo-wrap">
                <Services names={r.services} />
              </td>
              <td className="op-name slo-wrap">{r.metric}</td>
              <td className="slo-wrap">{r.queue ? <QueueState queue={r.queue} /> : <Utilization resource={r} />}</td>
            </tr>
          ))}
        </DataTable>
      </section>
    </LoadState>
  );
}

function Services({ names }: { names: string[] }) {
  return (
    <>
      {names.join(", ")}
      {names.length >= 2 && (
        <>
          {" "}
          <span className="settings-badge settings-badge-shared" title="Scaling one of these services alone will not relieve it.">
            shared
          </span>
        </>
      )}
    </>
  );
}

function Utilization({ resource: r }: { resource: ResourceSeries }) {
  if (r.current == null && r.p95 == null && r.peak == null) {
    return <span className="muted">No capacity known, so no utilization: map its capacity below.</span>;
  }
  return (
    <div className="settings-bars">
      <UtilBar label="now" value={r.current} />
      <UtilBar label="p95" value={r.p95} />
      <UtilBar label="peak" value={r.peak} />
    </div>
  );
}

/** Utilization 0..1 as a bar (capped at full) with the percentage beside it. */
function UtilBar({ label, value }: { label: string; value: number | undefined }) {
  const level = value == null ? "" : value >= SATURATED ? " settings-bar-hot" : value >= BUSY ? " settings-bar-busy" : "";
  return (
    <div className="settings-bar-row">
      <span className="muted settings-bar-label">{label}</span>
      <span className="settings-bar-track" aria-hidden="true">
        <span className={`settings-bar-fill${level}`} style={{ width: `${Math.min(1, Math.max(0, value ?? 0)) * 100}%` }} />
      </span>
      <span className="settings-bar-value">{formatPercent(value)}</span>
    </div>
  );
}

function QueueState({ queue: q }: { queue: NonNullable<ResourceSeries["queue"]> }) {
  const growth =
    q.growthPerS == null
      ? "growth unknown (too few samples)"
      : Math.abs(q.growthPerS) < 0.01
        ? "holding steady"
        : q.growthPerS > 0
          ? `growing by ${formatRate(q.growthPerS)} per second`
          : `shrinking by ${formatRate(-q.growthPerS)} per second`;
  const flows = [
    q.arrivalPerS != null && `${formatRate(q.arrivalPerS)}/s in`,
    q.completionPerS != null && `${formatRate(q.completionPerS)}/s out`,
    q.workers != null && `${q.workers} workers`,
  ].filter(Boolean);
  return (
    <span className={q.growthPerS != null && q.growthPerS >= 0.01 ? "error-text" : undefined}>
      {Math.round(q.depth).toLocaleString("en-US")} waiting, {growth}
      {flows.length > 0 && <span className="muted"> ({flows.join(", ")})</span>}
    </span>
  );
}

function Mappings() {
  const query = useQuery({
    queryKey: ["resource-mappings"],
    queryFn: ({ signal }) => fetchJson<MappingsResponse>("/api/resource-mappings", signal),
  });
  const mappings = query.data?.mappings ?? [];

  return (
    <LoadState
      query={query}
      what="your mappings"
      loading="Loading your mappings…"
      empty={
        mappings.length === 0 && (
          <p className="card muted" data-testid="mappings-empty">
            You have mapped no resources yet; everything above was found on its own.
          </p>
        )
      }
    >
      <section className="card table-wrap">
        <h2 className="settings-section-title">Your mappings</h2>
        <DataTable columns={["Name", "Kind", "Used by", "Usage", "Capacity", "Actions"]} testId="mappings">
          {mappings.map((m) => (
            <tr key={m.id} data-testid="mapping-row">
              <td className="slo-wrap">
                <strong>{m.name}</strong>
              </td>
              <td>{kindLabel(m.kind)}</td>
              <td className="slo-wrap">
                <Services names={m.services} />
              </td>
              <td className="op-name slo-wrap">{selector(m.usageMetric, m.usageLabels)}</td>
              <td className="op-name slo-wrap">
                {m.capacityConstant != null ? m.capacityConstant.toLocaleString("en-US") : m.capacityMetric ? selector(m.capacityMetric, m.capacityLabels) : <span className="muted">none (a queue)</span>}
              </td>
              <td className="slo-row-actions">
                <DeleteButton url={`/api/resource-mappings/${encodeURIComponent(m.id)}`} queryKey="resource-mappings" confirmText={`Delete the mapping “${m.name}”?`} />
              </td>
            </tr>
          ))}
        </DataTable>
      </section>
    </LoadState>
  );
}

/** `metric{label="value"}`, as PromQL writes it. */
function selector(metric: string, labels: Record<string, string>): string {
  const inner = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(", ");
  return inner ? `${metric}{${inner}}` : metric;
}

interface MappingDraft {
  name: string;
  kind: ResourceKind;
  services: string[];
  otherServices: string;
  usageMetric: string;
  usageLabels: string;
  capacityBy: "metric" | "constant";
  capacityMetric: string;
  capacityLabels: string;
  capacityConstant: string;
}

const EMPTY: MappingDraft = {
  name: "",
  kind: "pool",
  services: [],
  otherServices: "",
  usageMetric: "",
  usageLabels: "",
  capacityBy: "constant",
  capacityMetric: "",
  capacityLabels: "",
  capacityConstant: "",
};

function toBody(d: MappingDraft, errors: FieldErrors) {
  const services = [...d.services, ...d.otherServices.split(",").map((s) => s.trim()).filter(Boolean)];
  const byMetric = d.capacityBy === "metric";
  return {
    name: d.name.trim(),
    kind: d.kind,
    services,
    usageMetric: d.usageMetric.trim(),
    usageLabels: labelsOrError(d.usageLabels, "usageLabels", errors),
    capacityMetric: byMetric ? d.capacityMetric.trim() : undefined,
    capacityLabels: byMetric ? labelsOrError(d.capacityLabels, "capacityLabels", errors) : {},
    capacityConstant: byMetric || d.capacityConstant.trim() === "" ? undefined : Number(d.capacityConstant),
  };
}

function AddMapping() {
  const form = useAddForm(EMPTY, "/api/resource-mappings", toBody, [["resource-mappings"], ["resources"]]);
  const { draft, set, errors } = form;

  return (
    <AddForm title="Map a resource" noun="mapping" submitLabel="Add mapping" form={form}>
      <p className="muted slo-hint settings-intro">
        For a resource Pinchpoint does not recognise: say which metric measures its use and what its capacity is.
        Utilization is usage divided by capacity.
      </p>
      <div className="slo-row">
        <Field label="Name" error={errors.name} hint="In words, e.g. orders DB pool.">
          {(props) => <input {...props} value={draft.name} onChange={(e) => set({ name: e.target.value })} autoComplete="off" required />}
        </Field>
        <Field label="Kind" error={errors.kind} narrow>
          {(props) => (
            <select {...props} value={draft.kind} onChange={(e) => set({ kind: e.target.value as ResourceKind })}>
              {(Object.keys(KIND_LABELS) as ResourceKind[]).map((k) => (
                <option key={k} value={k}>
                  {KIND_LABELS[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <ServicePicker
        chosen={draft.services}
        other={draft.otherServices}
        error={errors.services}
        onChange={(services) => set({ services })}
        onOther={(otherServices) => set({ otherServices })}
      />
      <div className="slo-row">
        <Field label="Usage metric" error={errors.usageMetric} hint="Summed over its series, e.g. pgbouncer_pools_client_active_connections.">
          {(props) => <input {...props} value={draft.usageMetric} onChange={(e) => set({ usageMetric: e.target.value })} autoComplete="off" spellCheck={false} required />}
        </Field>
        <Field label="Usage labels (optional)" error={errors.usageLabels} hint="Only the series with these labels: one name=value per line.">
          {(props) => <textarea {...props} rows={2} value={draft.usageLabels} onChange={(e) => set({ usageLabels: e.target.value })} spellCheck={false} />}
        </Field>
      </div>
      <CapacityFields draft={draft} errors={errors} set={set} />
    </AddForm>
  );
}

/** The services seen lately as checkboxes, and a box for ones that have not sent traces yet. */
function ServicePicker({ chosen, other, error, onChange, onOther }: {
  chosen: string[];
  other: string;
  error?: string;
  onChange: (services: string[]) => void;
  onOther: (text: string) => void;
}) {
  const errorId = useId();
  const options = useQuery({
    queryKey: ["slo-options"],
    queryFn: ({ signal }) => fetchJson<SloOptionsResponse>("/api/slos/options", signal),
  });
  const seen = options.data?.services.map((s) => s.name) ?? [];
  const toggle = (name: string, on: boolean) => onChange(on ? [...chosen, name] : chosen.filter((n) => n !== name));

  return (
    <fieldset className="slo-field settings-services" aria-describedby={error ? errorId : undefined}>
      <legend>Used by</legend>
      {options.isPending ? (
        <span className="muted slo-hint" role="status">
          Loading the services seen…
        </span>
      ) : options.isError ? (
        <span className="error-text slo-hint">Could not load the services seen ({options.error.message}); type them below.</span>
      ) : seen.length === 0 ? (
        <span className="muted slo-hint">No service has sent traces in the last 30 days; type the names below.</span>
      ) : (
        <div className="settings-checkboxes">
          {seen.map((name) => (
            <label key={name} className="slo-radio">
              <input type="checkbox" checked={chosen.includes(name)} onChange={(e) => toggle(name, e.target.checked)} />
              {name}
            </label>
          ))}
        </div>
      )}
      <Field label="Other services (optional)" hint="Comma-separated, for services not seen yet. Two or more services make the resource shared.">
        {(props) => <input {...props} value={other} onChange={(e) => onOther(e.target.value)} autoComplete="off" />}
      </Field>
      {error && <FieldMessage id={errorId} text={error} />}
    </fieldset>
  );
}

function CapacityFields({ draft, errors, set }: { draft: MappingDraft; errors: Record<string, string>; set: (patch: Partial<MappingDraft>) => void }) {
  return (
    <fieldset className="slo-field settings-capacity">
      <legend>Capacity</legend>
      <div className="settings-checkboxes">
        <label className="slo-radio">
          <input type="radio" name="capacity-by" checked={draft.capacityBy === "constant"} onChange={() => set({ capacityBy: "constant" })} />
          A fixed number <span className="muted">— e.g. a pool of 20 connections</span>
        </label>
        <label className="slo-radio">
          <input type="radio" name="capacity-by" checked={draft.capacityBy === "metric"} onChange={() => set({ capacityBy: "metric" })} />
          A metric <span className="muted">— e.g. the pool&apos;s configured size</span>
        </label>
      </div>
      {draft.capacityBy === "constant" ? (
        <Field label="Fixed capacity" error={errors.capacityConstant} hint={draft.kind === "queue" ? "Optional for a queue." : "In the usage metric's unit."} narrow>
          {(props) => <input {...props} type="number" min={0} step="any" inputMode="decimal" value={draft.capacityConstant} onChange={(e) => set({ capacityConstant: e.target.value })} />}
        </Field>
      ) : (
        <div className="slo-row">
          <Field label="Capacity metric" error={errors.capacityMetric ?? errors.capacityConstant}>
            {(props) => <input {...props} value={draft.capacityMetric} onChange={(e) => set({ capacityMetric: e.target.value })} autoComplete="off" spellCheck={false} />}
          </Field>
          <Field label="Capacity labels (optional)" error={errors.capacityLabels} hint="One name=value per line.">
            {(props) => <textarea {...props} rows={2} value={draft.capacityLabels} onChange={(e) => set({ capacityLabels: e.target.value })} spellCheck={false} />}
          </Field>
        </div>
      )}
    </fieldset>
  );
}
