"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState, type FormEvent } from "react";
import { BURN_RATE_WINDOWS, defaultRules, windowLabel } from "@/lib/analysis/slo";
import { DEFAULT_MIN_EVENTS, validateSlo, WINDOW_DAYS } from "@/lib/slos/validate";
import { ApiError, fetchJson, sendJson } from "./api";
import { DataTable } from "./DataTable";
import { DeleteButton } from "./DeleteButton";
import { PageHead } from "./PageHead";
import { Field, FieldMessage, QueryError } from "./SloParts";
import type { AlertRule, SliKind, SloDefinition, SloOptionsResponse, SloResponse, SlosResponse } from "./sloTypes";

const WINDOW_MINUTES: number[] = Object.values(BURN_RATE_WINDOWS);

/** A rule as edited: the factor is the text in its box, and unticked rules are not saved. */
type RuleRow = Omit<AlertRule, "factor"> & { factor: string; enabled: boolean };

interface Draft {
  name: string;
  service: string;
  /** "" for all entry operations. */
  operation: string;
  sli: SliKind;
  thresholdMs: string;
  targetPercent: string;
  windowDays: number;
  minEvents: string;
  rules: RuleRow[];
  /** Once the rules are touched, changing the window no longer replaces them with its defaults. */
  rulesEdited: boolean;
}

function rowsFor(rules: AlertRule[], enabled: boolean): RuleRow[] {
  return rules.map((r) => ({ ...r, factor: String(r.factor), enabled }));
}

function newDraft(): Draft {
  return {
    name: "",
    service: "",
    operation: "",
    sli: "availability",
    thresholdMs: "300",
    targetPercent: "99.9",
    windowDays: 30,
    minEvents: "",
    rules: rowsFor(defaultRules(30), true),
    rulesEdited: false,
  };
}

function draftOf(slo: SloDefinition): Draft {
  const defaults = defaultRules(slo.windowDays);
  const saved = new Set(slo.rules.map((r) => r.name));
  return {
    name: slo.name,
    service: slo.service,
    operation: slo.operation ?? "",
    sli: slo.sli,
    thresholdMs: slo.thresholdMs == null ? "300" : String(slo.thresholdMs),
    targetPercent: String(Number((slo.target * 100).toPrecision(10))),
    windowDays: slo.windowDays,
    minEvents: String(slo.minEvents),
    // The saved rules, then the defaults it does not use, unticked, so they can be turned back on.
    rules: [...rowsFor(slo.rules, true), ...rowsFor(defaults.filter((r) => !saved.has(r.name)), false)],
    rulesEdited: JSON.stringify(slo.rules) !== JSON.stringify(defaults),
  };
}

/** A number box's value: undefined when empty, NaN when not a number (the validator says so). */
function numberOf(text: string): number | undefined {
  return text.trim() === "" ? undefined : Number(text);
}

/** The body for the API, and for each saved rule the row it came from (rule errors are keyed by the former). */
function toInput(d: Draft): { input: Record<string, unknown>; ruleRows: number[] } {
  const ruleRows = d.rules.flatMap((r, i) => (r.enabled ? [i] : []));
  const percent = numberOf(d.targetPercent);
  return {
    ruleRows,
    input: {
      name: d.name.trim(),
      service: d.service,
      operation: d.operation || undefined,
      sli: d.sli,
      thresholdMs: d.sli === "latency" ? numberOf(d.thresholdMs) : undefined,
      // The form speaks percent, the API fractions; toPrecision drops float noise (99.9 / 100).
      target: percent === undefined ? undefined : Number((percent / 100).toPrecision(12)),
      windowDays: d.windowDays,
      rules: ruleRows.map((i) => {
        const { enabled: _enabled, factor, ...rule } = d.rules[i];
        return { ...rule, factor: numberOf(factor) };
      }),
      minEvents: numberOf(d.minEvents),
    },
  };
}

/** Error keys `rules.<i>.<field>` count saved rules only; rekey them by table row. */
function byRow(errors: Record<string, string>, ruleRows: number[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, message] of Object.entries(errors)) {
    const m = /^rules\.(\d+)\.(.+)$/.exec(key);
    out[m && ruleRows[Number(m[1])] !== undefined ? `rules.${ruleRows[Number(m[1])]}.${m[2]}` : key] = message;
  }
  return out;
}

/** Fields with a place of their own in the form; other server messages are listed at the top. */
const PLACED = /^(name|service|operation|sli|thresholdMs|target|windowDays|minEvents|rules(\.\d+\.(factor|longWindowMinutes|shortWindowMinutes))?)$/;

/** Create (no `slo`) or edit an SLO. Checked in the browser with the server's own validator, then by the server. */
export function SloForm({ slo }: { slo?: SloDefinition }) {
  const router = useRouter();
  const client = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => (slo ? draftOf(slo) : newDraft()));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const options = useQuery({
    queryKey: ["slo-options"],
    queryFn: ({ signal }) => fetchJson<SloOptionsResponse>("/api/slos/options", signal),
    staleTime: 60_000,
  });
  const existing = useQuery({
    queryKey: ["slos"],
    queryFn: ({ signal }) => fetchJson<SlosResponse>("/api/slos", signal),
  });

  const services = useMemo(() => {
    const list = [...(options.data?.services ?? [])];
    // An SLO on a service that has gone quiet keeps its service in the list.
    if (draft.service && !list.some((s) => s.name === draft.service)) list.push({ name: draft.service, operations: [] });
    return list.sort((a, b) => a.name.localeCompare(b.name));
  }, [options.data, draft.service]);
  const operations = useMemo(() => {
    const ops = [...(services.find((s) => s.name === draft.service)?.operations ?? [])];
    if (draft.operation && !ops.some((o) => o.name === draft.operation)) ops.push({ name: draft.operation, entry: false });
    // Entry operations first: those are what users call.
    return ops.sort((a, b) => Number(b.entry) - Number(a.entry) || a.name.localeCompare(b.name));
  }, [services, draft.service, draft.operation]);

  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const setRule = (i: number, patch: Partial<RuleRow>) =>
    setDraft((d) => ({ ...d, rulesEdited: true, rules: d.rules.map((r, j) => (j === i ? { ...r, ...patch } : r)) }));
  const setWindow = (windowDays: number) =>
    setDraft((d) => ({ ...d, windowDays, rules: d.rulesEdited ? d.rules : rowsFor(defaultRules(windowDays), true) }));

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setFailure(null);
    const { input, ruleRows } = toInput(draft);
    const takenNames = (existing.data?.slos ?? []).filter((s) => s.id !== slo?.id).map((s) => s.name);
    const checked = validateSlo(input, { takenNames });
    if (!checked.ok) {
      setErrors(byRow(checked.errors, ruleRows));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const saved = slo
        ? await sendJson<SloResponse>("PUT", `/api/slos/${encodeURIComponent(slo.id)}`, checked.value)
        : await sendJson<SloResponse>("POST", "/api/slos", checked.value);
      // The detail page must show what was just saved, not the SLO it cached before the edit.
      client.setQueryData(["slo", saved.slo.id], saved);
      await Promise.all([
        client.invalidateQueries({ queryKey: ["slos"] }),
        client.invalidateQueries({ queryKey: ["slo-status", saved.slo.id] }),
      ]);
      router.push(`/slos/${encodeURIComponent(saved.slo.id)}`);
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fields).length > 0) setErrors(byRow(err.fields, ruleRows));
      else setFailure((err as Error).message);
      setBusy(false);
    }
  };

  const unplaced = Object.entries(errors).filter(([key]) => !PLACED.test(key));
  const errorCount = Object.keys(errors).length;

  return (
    <form className="card slo-form" onSubmit={onSubmit} noValidate aria-label={slo ? "Edit SLO" : "New SLO"}>
      {errorCount > 0 && (
        <div className="banner slo-error-banner" role="alert" data-testid="form-errors">
          {errorCount === 1 ? "One field needs" : `${errorCount} fields need`} fixing before the SLO can be saved.
          {unplaced.length > 0 && (
            <ul>
              {unplaced.map(([key, message]) => (
                <li key={key}>
                  {key}: {message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {failure && (
        <div className="card error-state" role="alert">
          <p>The SLO was not saved: {failure}</p>
        </div>
      )}

      <Field label="Name" error={errors.name}>
        {(props) => <input {...props} value={draft.name} onChange={(e) => set({ name: e.target.value })} autoComplete="off" />}
      </Field>

      <div className="slo-row">
        <Field
          label="Service"
          error={errors.service}
          hint={
            options.isError
              ? `Could not load the services seen lately (${options.error.message}).`
              : options.data && services.length === 0
                ? "No service has sent spans in the last 30 days."
                : undefined
          }
        >
          {(props) => (
            <select {...props} value={draft.service} onChange={(e) => set({ service: e.target.value, operation: "" })}>
              <option value="">{options.isPending ? "Loading services…" : "Choose a service"}</option>
              {services.map((s) => (
                <option key={s.name} value={s.name}>
                  {s.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Operation" error={errors.operation}>
          {(props) => (
            <select {...props} value={draft.operation} onChange={(e) => set({ operation: e.target.value })}>
              <option value="">All entry operations</option>
              {operations.map((o) => (
                <option key={o.name} value={o.name}>
                  {o.entry ? o.name : `${o.name} (internal)`}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>

      <fieldset className="slo-field" aria-describedby={errors.sli ? "sli-error" : undefined}>
        <legend>SLI</legend>
        <label className="slo-radio">
          <input type="radio" name="sli" value="availability" checked={draft.sli === "availability"} onChange={() => set({ sli: "availability" })} />
          Availability <span className="muted">— requests that do not fail</span>
        </label>
        <label className="slo-radio">
          <input type="radio" name="sli" value="latency" checked={draft.sli === "latency"} onChange={() => set({ sli: "latency" })} />
          Latency <span className="muted">— requests faster than a threshold</span>
        </label>
        {errors.sli && <FieldMessage id="sli-error" text={errors.sli} />}
      </fieldset>

      <div className="slo-row">
        {draft.sli === "latency" && (
          <Field label="Threshold (ms)" error={errors.thresholdMs} hint="A request is good when it takes less than this." narrow>
            {(props) => (
              <input {...props} type="number" min={0} step="any" inputMode="decimal" value={draft.thresholdMs} onChange={(e) => set({ thresholdMs: e.target.value })} />
            )}
          </Field>
        )}
        <Field label="Target (%)" error={errors.target} hint="Share of good requests, e.g. 99.9." narrow>
          {(props) => (
            <input {...props} type="number" min={0} max={100} step="any" inputMode="decimal" value={draft.targetPercent} onChange={(e) => set({ targetPercent: e.target.value })} />
          )}
        </Field>
        <Field label="Window" error={errors.windowDays} hint="Rolling window the target holds over." narrow>
          {(props) => (
            <select {...props} value={draft.windowDays} onChange={(e) => setWindow(Number(e.target.value))}>
              {WINDOW_DAYS.map((d) => (
                <option key={d} value={d}>
                  {d} days
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>

      <RulesTable draft={draft} errors={errors} setRule={setRule} onDefaults={() => set({ rules: rowsFor(defaultRules(draft.windowDays), true), rulesEdited: false })} />

      <Field
        label="Minimum events"
        error={errors.minEvents}
        hint={`A rule stays quiet while its long window holds fewer requests than this, so a few failures on an idle service do not page. Empty: ${DEFAULT_MIN_EVENTS} (the default).`}
      >
        {(props) => <input {...props} type="number" min={0} step={1} inputMode="numeric" value={draft.minEvents} onChange={(e) => set({ minEvents: e.target.value })} />}
      </Field>

      <div className="slo-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? "Saving…" : slo ? "Save changes" : "Create SLO"}
        </button>
        <Link href={slo ? `/slos/${encodeURIComponent(slo.id)}` : "/slos"}>Cancel</Link>
        {slo && <DeleteSlo slo={slo} />}
      </div>
    </form>
  );
}

function RulesTable({ draft, errors, setRule, onDefaults }: {
  draft: Draft;
  errors: Record<string, string>;
  setRule: (i: number, patch: Partial<RuleRow>) => void;
  onDefaults: () => void;
}) {
  const windowMinutes = draft.windowDays * 24 * 60;
  return (
    <fieldset className="slo-field slo-rules">
      <legend>Alert rules</legend>
      <p className="muted slo-hint">
        A rule fires while the burn rate is at least its factor over both its long and its short window (1× spends the
        budget exactly over the {draft.windowDays} days). Pages go to people at once, tickets can wait.
        {draft.rulesEdited && (
          <>
            {" "}
            <button type="button" className="slo-link-button" onClick={onDefaults}>
              Use the defaults for {draft.windowDays} days
            </button>
          </>
        )}
      </p>
      {errors.rules && <FieldMessage id="rules-error" text={errors.rules} />}
      <div className="table-wrap">
        <DataTable
          columns={["Use", "Rule", "Severity", "Burn rate ≥", "Long window", "Short window", { num: "Budget spent to fire" }]}
          className="slo-rules-table"
        >
          {draft.rules.map((r, i) => {
            const err = (field: string) => errors[`rules.${i}.${field}`];
            const rowErrors = ["factor", "longWindowMinutes", "shortWindowMinutes"].flatMap((f) => (err(f) ? [err(f)] : []));
            const factor = Number(r.factor);
            return (
              <tr key={r.name} className={r.enabled ? undefined : "slo-rule-off"} data-testid="rule-row">
                <td>
                  <input type="checkbox" checked={r.enabled} onChange={(e) => setRule(i, { enabled: e.target.checked })} aria-label={`Use rule ${r.name}`} />
                </td>
                <td>
                  {r.name}
                  {rowErrors.length > 0 && (
                    <span className="slo-error" id={`rule-${i}-error`}>
                      {rowErrors.join(" ")}
                    </span>
                  )}
                </td>
                <td>{r.severity}</td>
                <td>
                  <input
                    type="number"
                    min={0}
                    step="any"
                    className="slo-factor"
                    value={r.factor}
                    onChange={(e) => setRule(i, { factor: e.target.value })}
                    aria-label={`Burn rate factor for ${r.name}`}
                    aria-invalid={err("factor") ? true : undefined}
                    aria-describedby={rowErrors.length ? `rule-${i}-error` : undefined}
                    disabled={!r.enabled}
                  />
                  ×
                </td>
                {(["longWindowMinutes", "shortWindowMinutes"] as const).map((key) => (
                  <td key={key}>
                    <select
                      value={r[key]}
                      onChange={(e) => setRule(i, { [key]: Number(e.target.value) })}
                      aria-label={`${key === "longWindowMinutes" ? "Long" : "Short"} window for ${r.name}`}
                      aria-invalid={err(key) ? true : undefined}
                      disabled={!r.enabled}
                    >
                      {(WINDOW_MINUTES.includes(r[key]) ? WINDOW_MINUTES : [...WINDOW_MINUTES, r[key]]).map((m) => (
                        <option key={m} value={m}>
                          {windowLabel(m)}
                        </option>
                      ))}
                    </select>
                  </td>
                ))}
                <td className="num">
                  {Number.isFinite(factor) && factor > 0 ? `${Number(((factor * r.longWindowMinutes * 100) / windowMinutes).toPrecision(2))}%` : "—"}
                </td>
              </tr>
            );
          })}
        </DataTable>
      </div>
    </fieldset>
  );
}

/** Deletes the SLO after a confirm, forgets it and goes back to the list. */
function DeleteSlo({ slo }: { slo: SloDefinition }) {
  const router = useRouter();
  const client = useQueryClient();
  return (
    <DeleteButton
      url={`/api/slos/${encodeURIComponent(slo.id)}`}
      queryKey="slos"
      confirmText={`Delete the SLO “${slo.name}”? Its alert history goes with it.`}
      label="Delete SLO"
      onDeleted={() => {
        client.removeQueries({ queryKey: ["slo", slo.id] });
        router.push("/slos");
      }}
    />
  );
}

/** The edit page: loads the SLO, then the same form. */
export function EditSlo({ id }: { id: string }) {
  const query = useQuery({
    queryKey: ["slo", id],
    queryFn: ({ signal }) => fetchJson<SloResponse>(`/api/slos/${encodeURIComponent(id)}`, signal),
  });
  return (
    <div className="slos">
      <PageHead
        title={<>Edit SLO{query.data && `: ${query.data.slo.name}`}</>}
        subtitle={<Link href={`/slos/${encodeURIComponent(id)}`}>← Back to the SLO</Link>}
      />
      {query.isPending ? (
        <p className="muted card" role="status" aria-busy="true">
          Loading the SLO…
        </p>
      ) : query.isError ? (
        <QueryError what="the SLO" query={query} />
      ) : (
        // Keyed by id so that a reload of the same SLO does not reset what is being typed.
        <SloForm key={query.data.slo.id} slo={query.data.slo} />
      )}
    </div>
  );
}
