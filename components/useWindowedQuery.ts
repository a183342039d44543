"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { fetchJson, parseWindow, type WindowName } from "./api";

/** The page's window (from `?window=`), for pages whose data all covers one window. */
export function useTimeWindow(): WindowName {
  return parseWindow(useSearchParams()?.get("window"));
}

/**
 * GET `path?window=…` for the page's window, refreshed every `refreshMs`; while a new window
 * loads, the previous data stays on screen (isPlaceholderData tells).
 */
export function useWindowedQuery<T>(path: string, timeWindow: WindowName, refreshMs: number) {
  return useQuery({
    queryKey: [path, timeWindow],
    queryFn: ({ signal }) => fetchJson<T>(`${path}?window=${timeWindow}`, signal),
    refetchInterval: refreshMs,
    placeholderData: keepPreviousData,
  });
}
