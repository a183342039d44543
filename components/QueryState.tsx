"use client";

import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";

type ShownQuery = Pick<UseQueryResult, "isPending" | "isError" | "data" | "error" | "refetch" | "isFetching">;

/** A failed first load, in words, with a way to try again: "Could not load the SLOs: …". */
export function QueryError({ what, query, action = "load" }: {
  what: string;
  query: Pick<UseQueryResult, "error" | "refetch" | "isFetching">;
  action?: string;
}) {
  return (
    <div className="card error-state" role="alert" data-testid="error-state">
      <p>
        Could not {action} {what}: {query.error?.message}
      </p>
      <button type="button" className="button" onClick={() => query.refetch()} disabled={query.isFetching}>
        {query.isFetching ? "Retrying…" : "Retry"}
      </button>
    </div>
  );
}

/** Said when a refresh failed but older data is still shown. */
export function StaleBanner({ query, what, showing = "older figures" }: {
  query: Pick<UseQueryResult, "isError" | "data" | "error">;
  what: string;
  showing?: string;
}) {
  if (!query.isError || !query.data) return null;
  return (
    <div className="banner warn" role="status">
      Could not refresh {what}: {query.error?.message}. Showing {showing}.
    </div>
  );
}

/**
 * A query's first load, its failure (when there is nothing to show), the empty case, or the content.
 * `empty` is shown instead of the content when given (pass it only when there is nothing to list).
 */
export function LoadState({ query, what, action, loading, card = true, empty, children }: {
  query: ShownQuery;
  /** For the error: "the alert channels". */
  what: string;
  action?: string;
  /** "Loading channels…" */
  loading: ReactNode;
  /** The loading line as a card of its own (false inside a card). */
  card?: boolean;
  empty?: ReactNode;
  children?: ReactNode;
}) {
  if (query.isPending) {
    return (
      <p className={card ? "muted card" : "muted"} role="status" aria-busy="true">
        {loading}
      </p>
    );
  }
  if (query.isError && !query.data) return <QueryError what={what} action={action} query={query} />;
  if (empty) return <>{empty}</>;
  return <>{children}</>;
}
