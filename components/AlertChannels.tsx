"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ApiError, fetchJson, sendJson } from "./api";
import { Field, QueryError } from "./SloParts";
import type { AlertChannel, ChannelKind, ChannelsResponse, ChannelTestResult } from "./sloTypes";

const KIND_LABELS: Record<ChannelKind, string> = { slack: "Slack", webhook: "Webhook" };

/** Where alerts are sent: the channels, a form to add one, and a test message per channel. */
export function AlertChannels() {
  const query = useQuery({
    queryKey: ["alert-channels"],
    queryFn: ({ signal }) => fetchJson<ChannelsResponse>("/api/alert-channels", signal),
  });
  const channels = query.data?.channels ?? [];

  return (
    <div className="slos">
      <div className="page-head">
        <div>
          <h1>Alert settings</h1>
          <p className="muted subtitle">
            Every SLO alert that fires or resolves is sent to all these channels, retried while a channel fails.
          </p>
        </div>
      </div>

      {query.isPending ? (
        <p className="muted card" role="status" aria-busy="true">
          Loading channels…
        </p>
      ) : query.isError && !query.data ? (
        <QueryError what="the alert channels" query={query} />
      ) : channels.length === 0 ? (
        <p className="card" data-testid="channels-empty">
          <strong>No channels yet.</strong> Alerts are recorded on the Alerts page but not sent anywhere until you add
          one below.
        </p>
      ) : (
        <div className="card table-wrap">
          <table className="data-table" data-testid="channels">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">URL</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {channels.map((c) => (
                <ChannelRow key={c.id} channel={c} />
              ))}
            </tbody>
          </table>
        </div>
      )}

      <AddChannel />
    </div>
  );
}

function ChannelRow({ channel: c }: { channel: AlertChannel }) {
  const client = useQueryClient();
  const [testing, setTesting] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const [deleting, setDeleting] = useState(false);

  const sendTest = async () => {
    setTesting(true);
    setOutcome(null);
    try {
      const r = await sendJson<ChannelTestResult>("POST", `/api/alert-channels/${encodeURIComponent(c.id)}/test`);
      const status = r.statusCode != null ? ` (HTTP ${r.statusCode})` : "";
      setOutcome(
        r.delivered
          ? { ok: true, text: `Test message delivered${status}.` }
          : { ok: false, text: `Test message not delivered${status}: ${r.error ?? "no reason given"}.` },
      );
    } catch (err) {
      setOutcome({ ok: false, text: `Could not send the test: ${(err as Error).message}.` });
    } finally {
      setTesting(false);
    }
  };

  const remove = async () => {
    if (!window.confirm(`Delete the channel “${c.name}”? Alerts will no longer be sent to it.`)) return;
    setDeleting(true);
    try {
      await sendJson("DELETE", `/api/alert-channels/${encodeURIComponent(c.id)}`);
      await client.invalidateQueries({ queryKey: ["alert-channels"] });
    } catch (err) {
      setOutcome({ ok: false, text: `Could not delete: ${(err as Error).message}.` });
      setDeleting(false);
    }
  };

  return (
    <tr data-testid="channel-row">
      <td>{c.name}</td>
      <td>
        {KIND_LABELS[c.kind]}
        {c.hasSecret && <span className="muted"> · signed</span>}
      </td>
      <td className="op-name">{c.url}</td>
      <td className="slo-row-actions">
        <button type="button" className="button" onClick={sendTest} disabled={testing}>
          {testing ? "Sending…" : "Send test"}
        </button>
        <button type="button" className="button slo-danger" onClick={remove} disabled={deleting}>
          {deleting ? "Deleting…" : "Delete"}
        </button>
        {outcome && (
          <span className={outcome.ok ? "slo-outcome-ok" : "error-text"} role="status" data-testid="test-outcome">
            {outcome.text}
          </span>
        )}
      </td>
    </tr>
  );
}

interface ChannelDraft {
  name: string;
  kind: ChannelKind;
  url: string;
  secret: string;
}

const EMPTY: ChannelDraft = { name: "", kind: "slack", url: "", secret: "" };

function AddChannel() {
  const client = useQueryClient();
  const [draft, setDraft] = useState(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<ChannelDraft>) => setDraft((d) => ({ ...d, ...patch }));

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setFailure(null);
    try {
      const secret = draft.kind === "webhook" && draft.secret ? draft.secret : undefined;
      await sendJson("POST", "/api/alert-channels", { name: draft.name.trim(), kind: draft.kind, url: draft.url.trim(), secret });
      setDraft(EMPTY);
      await client.invalidateQueries({ queryKey: ["alert-channels"] });
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fields).length > 0) setErrors(err.fields);
      else setFailure((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card slo-form" onSubmit={onSubmit} noValidate aria-label="Add a channel">
      <h2>Add a channel</h2>
      <div className="slo-row">
        <Field label="Channel name" error={errors.name}>
          {(props) => <input {...props} value={draft.name} onChange={(e) => set({ name: e.target.value })} autoComplete="off" required />}
        </Field>
        <Field label="Kind" error={errors.kind} narrow>
          {(props) => (
            <select {...props} value={draft.kind} onChange={(e) => set({ kind: e.target.value as ChannelKind })}>
              <option value="slack">Slack</option>
              <option value="webhook">Webhook</option>
            </select>
          )}
        </Field>
      </div>
      <Field
        label="URL"
        error={errors.url}
        hint={
          draft.kind === "slack"
            ? "A Slack incoming-webhook URL (https://hooks.slack.com/services/…); messages use Block Kit."
            : "Alerts are POSTed to it as JSON."
        }
      >
        {(props) => <input {...props} type="url" value={draft.url} onChange={(e) => set({ url: e.target.value })} autoComplete="off" required />}
      </Field>
      {draft.kind === "webhook" && (
        <Field label="Secret (optional)" error={errors.secret} hint="Used to sign each request, so that the receiver can check it came from Pinchpoint.">
          {(props) => <input {...props} type="password" value={draft.secret} onChange={(e) => set({ secret: e.target.value })} autoComplete="new-password" />}
        </Field>
      )}
      {failure && (
        <p className="error-text" role="alert">
          The channel was not added: {failure}
        </p>
      )}
      <div className="slo-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? "Adding…" : "Add channel"}
        </button>
      </div>
    </form>
  );
}
