"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { AddForm, useAddForm } from "./AddForm";
import { fetchJson, sendJson } from "./api";
import { DataTable } from "./DataTable";
import { DeleteButton } from "./DeleteButton";
import { PageHead } from "./PageHead";
import { LoadState } from "./QueryState";
import { Field } from "./SloParts";
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
      <PageHead
        title="Alert settings"
        subtitle="Every SLO alert that fires or resolves is sent to all these channels, retried while a channel fails."
      />

      <LoadState
        query={query}
        what="the alert channels"
        loading="Loading channels…"
        empty={
          channels.length === 0 && (
            <p className="card" data-testid="channels-empty">
              <strong>No channels yet.</strong> Alerts are recorded on the Alerts page but not sent anywhere until you
              add one below.
            </p>
          )
        }
      >
        <div className="card table-wrap">
          <DataTable columns={["Name", "Kind", "URL", "Actions"]} testId="channels">
            {channels.map((c) => (
              <ChannelRow key={c.id} channel={c} />
            ))}
          </DataTable>
        </div>
      </LoadState>

      <AddChannel />
    </div>
  );
}

function ChannelRow({ channel: c }: { channel: AlertChannel }) {
  const [testing, setTesting] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);

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
        <DeleteButton
          url={`/api/alert-channels/${encodeURIComponent(c.id)}`}
          queryKey="alert-channels"
          confirmText={`Delete the channel “${c.name}”? Alerts will no longer be sent to it.`}
        />
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

/** The channel as sent: the secret only for a webhook, and only when one was typed. */
function channelBody(d: ChannelDraft) {
  const secret = d.kind === "webhook" && d.secret ? d.secret : undefined;
  return { name: d.name.trim(), kind: d.kind, url: d.url.trim(), secret };
}

function AddChannel() {
  const form = useAddForm(EMPTY, "/api/alert-channels", channelBody, [["alert-channels"]]);
  const { draft, set, errors } = form;

  return (
    <AddForm title="Add a channel" noun="channel" submitLabel="Add channel" form={form}>
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
    </AddForm>
  );
}
