/** Number formatting for the dashboards: short, unit-bearing and stable in width. */

const NO_VALUE = "—";

/** A duration in milliseconds: "850 µs", "12.3 ms", "1.24 s", "2.5 min". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return NO_VALUE;
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms === 0) return "0 ms";
  if (ms < 1) {
    const us = ms * 1000;
    return us < 1 ? "<1 µs" : `${us < 10 ? trim(us.toFixed(1)) : Math.round(us)} µs`;
  }
  if (ms < 1000) return `${sig3(ms)} ms`;
  const s = ms / 1000;
  if (s < 600) return `${sig3(s)} s`;
  const min = s / 60;
  if (min < 600) return `${sig3(min)} min`;
  return `${sig3(min / 60)} h`;
}

/** Short form for chart axes: "850µs", "12ms", "1.2s". */
export function formatDurationAxis(ms: number): string {
  if (!Number.isFinite(ms)) return "";
  if (ms === 0) return "0";
  if (ms < 1) return `${Math.round(ms * 1000)}µs`;
  if (ms < 1000) return `${trim(ms < 10 ? ms.toFixed(1) : ms.toFixed(0))}ms`;
  return `${trim((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))}s`;
}

/** Requests per second: "1,234", "12.3", "0.56", "0.0056". */
export function formatRate(perSecond: number | null | undefined): string {
  if (perSecond == null || !Number.isFinite(perSecond)) return NO_VALUE;
  if (perSecond === 0) return "0";
  if (perSecond >= 100) return Math.round(perSecond).toLocaleString("en-US");
  if (perSecond >= 10) return perSecond.toFixed(1);
  return String(Number(perSecond.toPrecision(2)));
}

/** An error rate (0..1) as a percentage: "0%", "0.02%", "2.0%", "35%". */
export function formatPercent(fraction: number | null | undefined): string {
  if (fraction == null || !Number.isFinite(fraction)) return NO_VALUE;
  const pct = fraction * 100;
  if (pct === 0) return "0%";
  if (pct < 0.01) return "<0.01%";
  if (pct < 1) return `${trim(pct.toFixed(2))}%`;
  if (pct < 10) return `${pct.toFixed(1)}%`;
  return `${Math.round(pct)}%`;
}

export function formatCount(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n)) return NO_VALUE;
  return Math.round(n).toLocaleString("en-US");
}

/** "14:05" in the viewer's time zone. */
export function formatClock(t: number): string {
  const d = new Date(t);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** "14:05:09" in the viewer's time zone. */
export function formatClockSeconds(t: number): string {
  const d = new Date(t);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Error rates above this share are highlighted. */
export const ERROR_RATE_WARN = 0.01;

export function isErrorRateHigh(fraction: number | null | undefined): boolean {
  return fraction != null && fraction > ERROR_RATE_WARN;
}

function sig3(x: number): string {
  if (x >= 100) return String(Math.round(x));
  if (x >= 10) return trim(x.toFixed(1));
  return trim(x.toFixed(2));
}

/** Drop trailing zeros after a decimal point: "1.20" → "1.2", "3.00" → "3". */
function trim(s: string): string {
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
