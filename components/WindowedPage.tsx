"use client";

import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import type { WindowName } from "./api";
import { formatClock, formatClockSeconds } from "./format";
import { WindowSelector } from "./WindowSelector";

type WindowedQuery = UseQueryResult<{ from: number; to: number }, Error>;

/**
 * The head of a page that shows one window of data: title, what it shows and when it was
 * updated, the window selector, and a banner when a refresh failed but older data is on screen.
 */
export function WindowedPageHead({ title, description, what, timeWindow, query }: {
  title: string; description: ReactNode; what: string; timeWindow: WindowName; query: WindowedQuery;
}) {
  const switching = query.isPlaceholderData;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{title}</h1>
          <p className="muted subtitle">
            {description}
            {query.data && !switching && (
              <>
                {" "}
                ({formatClock(query.data.from)}–{formatClock(query.data.to)}), updated{" "}
                {formatClockSeconds(query.dataUpdatedAt)}
              </>
            )}
            {switching && <> · loading…</>}
          </p>
        </div>
        <WindowSelector value={timeWindow} />
      </div>
      {query.isError && query.data && (
        <div className="banner warn" role="status">
          Could not refresh {what}: {query.error.message}. Showing data from {formatClockSeconds(query.dataUpdatedAt)}.
        </div>
      )}
    </>
  );
}

/** A failed first load, in words, with a way to try again. */
export function LoadError({ what, query }: { what: string; query: WindowedQuery }) {
  return (
    <div className="card error-state" role="alert" data-testid="error-state">
      <p>Could not load {what}: {query.error?.message}</p>
      <button type="button" className="button" onClick={() => query.refetch()} disabled={query.isFetching}>
        {query.isFetching ? "Retrying…" : "Retry"}
      </button>
    </div>
  );
}
