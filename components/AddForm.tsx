"use client";

import { useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useState, type FormEvent, type ReactNode } from "react";
import { ApiError, sendJson } from "./api";

export type FieldErrors = Record<string, string>;

/**
 * The state of a form that POSTs a new thing: the draft, the messages per field (the client's own, then the server's),
 * a failure in words, and whether it is being sent. On success the draft is cleared and `refresh` refetched.
 * `toBody` turns the draft into the request body and writes any message for a field into `errors`; then nothing is sent.
 */
export function useAddForm<D>(empty: D, url: string, toBody: (draft: D, errors: FieldErrors) => unknown, refresh: QueryKey[]) {
  const client = useQueryClient();
  const [draft, setDraft] = useState(empty);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<D>) => setDraft((d) => ({ ...d, ...patch }));

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setFailure(null);
    const found: FieldErrors = {};
    const body = toBody(draft, found);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      await sendJson("POST", url, body);
      setDraft(empty);
      await Promise.all(refresh.map((queryKey) => client.invalidateQueries({ queryKey })));
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fields).length > 0) setErrors(err.fields);
      else setFailure((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return { draft, set, errors, failure, busy, onSubmit };
}

/** The card form around an add form's fields: its heading, the failure in words and the submit button. */
export function AddForm({ title, noun, submitLabel, form, children }: {
  /** The heading, also the form's accessible name. */
  title: string;
  /** "channel": "The channel was not added: …". */
  noun: string;
  submitLabel: string;
  form: Pick<ReturnType<typeof useAddForm>, "onSubmit" | "failure" | "busy">;
  children: ReactNode;
}) {
  return (
    <form className="card slo-form" onSubmit={form.onSubmit} noValidate aria-label={title}>
      <h2>{title}</h2>
      {children}
      {form.failure && (
        <p className="error-text" role="alert">
          The {noun} was not added: {form.failure}
        </p>
      )}
      <div className="slo-actions">
        <button type="submit" className="button primary" disabled={form.busy}>
          {form.busy ? "Adding…" : submitLabel}
        </button>
      </div>
    </form>
  );
}
