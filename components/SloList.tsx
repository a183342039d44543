"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { ApiError, fetchJson, sendJson } from "./api";
import { DataTable } from "./DataTable";
import { PageHead } from "./PageHead";
import { LoadState, StaleBanner } from "./QueryState";
import { BudgetBar, describeObjective, describeScope, Field, formatBurnRate, formatSli, StateBadge } from "./SloParts";
import type { ImportResult, SlosResponse } from "./sloTypes";

const REFRESH_MS = 30_000;

/** The SLO list: each objective with where it stands now, plus YAML export and import. */
export function SloList() {
  const query = useQuery({
    queryKey: ["slos"],
    queryFn: ({ signal }) => fetchJson<SlosResponse>("/api/slos", signal),
    refetchInterval: REFRESH_MS,
  });
  const slos = query.data?.slos ?? [];

  return (
    <div className="slos">
      <PageHead
        title="SLOs"
        subtitle="Service level objectives, how much error budget each has left over its window, and how fast it is burning."
        actions={
          <div className="slo-actions">
            <a className="button" href="/api/slos/export" download>
              Export YAML
            </a>
            <Link className="button primary" href="/slos/new">
              New SLO
            </Link>
          </div>
        }
      />

      <StaleBanner query={query} what="the SLOs" />

      <LoadState query={query} what="the SLOs" loading="Loading SLOs…" empty={slos.length === 0 && <NoSlos />}>
        <div className="card table-wrap">
          <DataTable
            columns={["SLO", "Service · operation", "Objective", { num: "SLI now" }, "Budget left", { num: "Fastest burn" }, "State"]}
            className="slo-table"
            testId="slo-table"
          >
            {slos.map((slo) => (
              <SloRow key={slo.id} slo={slo} />
            ))}
          </DataTable>
        </div>
      </LoadState>

      <ImportYaml />
    </div>
  );
}

/** What an SLO is, and the ways to get the first one. */
function NoSlos() {
  return (
    <section className="card empty-state" data-testid="slos-empty">
      <h2>No SLOs yet</h2>
      <p>
        An SLO states what “good enough” means for a service: for example, 99.9 % of requests succeed, or 99 % are
        faster than 300 ms, over 30 days. Pinchpoint then tracks the error budget and alerts when it burns too fast.
      </p>
      <p>
        <Link className="button primary" href="/slos/new">
          Create your first SLO
        </Link>{" "}
        <span className="muted">or import OpenSLO YAML below.</span>
      </p>
    </section>
  );
}

function SloRow({ slo }: { slo: SlosResponse["slos"][number] }) {
  return (
    <tr data-testid="slo-row">
      <td className="slo-name">
        <Link href={`/slos/${slo.id}`}>{slo.name}</Link>
      </td>
      <td className="op-name">{describeScope(slo)}</td>
      <td>{describeObjective(slo)}</td>
      <td className="num">{formatSli(slo.summary.sli)}</td>
      <td>
        <BudgetBar remaining={slo.summary.errorBudgetRemaining} />
      </td>
      <td className="num" title="The highest burn rate over any window; 1× spends the budget exactly over the SLO window">
        {formatBurnRate(slo.summary.fastestBurn.rate)} <span className="muted">over {slo.summary.fastestBurn.window}</span>
      </td>
      <td>
        <StateBadge state={slo.summary.state} />
        {slo.summary.firing > 0 && (
          <span className="slo-firing">
            {" "}
            {slo.summary.firing} alert{slo.summary.firing === 1 ? "" : "s"} firing
          </span>
        )}
      </td>
    </tr>
  );
}

/** OpenSLO YAML in, from a file or pasted; what was created and what was refused, in words. */
function ImportYaml() {
  const client = useQueryClient();
  const [yaml, setYaml] = useState("");
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const onFile = async (file: File | undefined) => {
    if (file) setYaml(await file.text());
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setFailure(null);
    setResult(null);
    try {
      setResult(await sendJson<ImportResult>("POST", "/api/slos/import", yaml));
      await client.invalidateQueries({ queryKey: ["slos"] });
    } catch (err) {
      // Nothing importable is a 400 that still lists what was wrong with each document.
      if (err instanceof ApiError && isImportResult(err.body)) setResult(err.body);
      else setFailure((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <details className="card slo-import">
      <summary>Import OpenSLO YAML</summary>
      <form onSubmit={onSubmit} aria-label="Import SLOs">
        <p className="muted">
          Choose a file or paste the YAML (the format Export YAML writes). An SLO whose name already exists is replaced,
          so importing a file kept in git again is safe.
        </p>
        <Field label="YAML file">
          {(props) => <input {...props} type="file" accept=".yaml,.yml,text/yaml" onChange={(e) => onFile(e.target.files?.[0])} />}
        </Field>
        <Field label="YAML">
          {(props) => <textarea {...props} rows={8} value={yaml} onChange={(e) => setYaml(e.target.value)} spellCheck={false} />}
        </Field>
        <button type="submit" className="button primary" disabled={busy || !yaml.trim()}>
          {busy ? "Importing…" : "Import"}
        </button>
      </form>
      {failure && (
        <p className="error-text" role="alert">
          The import failed: {failure}
        </p>
      )}
      {result && (
        <div role="status" data-testid="import-result">
          <p>
            {result.created.length === 0 && !result.updated?.length
              ? "No SLOs were imported."
              : [listed("Created", result.created), listed("Replaced", result.updated ?? [])].filter(Boolean).join(" ")}
          </p>
          {result.errors.length > 0 && (
            <>
              <p className="error-text">
                {result.errors.length} {result.errors.length === 1 ? "entry was" : "entries were"} not imported:
              </p>
              <ul className="error-text">
                {result.errors.map((msg) => (
                  <li key={msg}>{msg}</li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </details>
  );
}

/** "Created 2 SLOs: a, b." or "" when there are none. */
function listed(verb: string, names: string[]): string {
  return names.length === 0 ? "" : `${verb} ${names.length} SLO${names.length === 1 ? "" : "s"}: ${names.join(", ")}.`;
}

function isImportResult(body: unknown): body is ImportResult {
  return !!body && typeof body === "object" && Array.isArray((body as ImportResult).created) && Array.isArray((body as ImportResult).errors);
}
