/** The windows the API and pages accept, and how finely a chart over each one is binned. */
export const WINDOWS = { "15m": 15 * 60_000, "1h": 3_600_000, "6h": 6 * 3_600_000, "24h": 24 * 3_600_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000 } as const;
export type WindowName = keyof typeof WINDOWS;

export interface TimeWindow { from: number; to: number; window: WindowName | "custom" }

export class WindowError extends Error {}

/** From `?window=1h` (default) or `?from=&to=` in epoch ms. */
export function parseWindow(params: URLSearchParams, now: number, fallback: WindowName = "1h"): TimeWindow {
  const from = params.get("from");
  const to = params.get("to");
  if (from !== null || to !== null) {
    const f = Number(from);
    const t = to === null ? now : Number(to);
    if (from === null || !Number.isFinite(f) || !Number.isFinite(t) || f >= t) {
      throw new WindowError("from and to must be epoch milliseconds with from < to");
    }
    return { from: f, to: t, window: "custom" };
  }
  const name = params.get("window") ?? fallback;
  if (!(name in WINDOWS)) throw new WindowError(`window must be one of ${Object.keys(WINDOWS).join(", ")}; got "${name}"`);
  return { from: now - WINDOWS[name as WindowName], to: now, window: name as WindowName };
}

/** About 60–100 points per chart, in whole minutes. */
export function chartStepMs(w: TimeWindow): number {
  const minutes = (w.to - w.from) / 60_000;
  for (const step of [1, 5, 15, 60, 360, 1440]) if (minutes / step <= 100) return step * 60_000;
  return 1440 * 60_000;
}
