import { parse } from "yaml";

/** One target to scrape, from the config file or the API. */
export interface ScrapeTargetDef { id: string; job: string; url: string; intervalSeconds: number; labels: Record<string, string> }

export class ScrapeConfigError extends Error {}

const DEFAULT_INTERVAL_S = 15;

/** Prometheus durations as used for intervals: "15s", "1m", "1m30s", "500ms" (rounded up to whole seconds). */
export function parseDurationSeconds(text: string, what: string): number {
  const re = /(\d+)(ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  for (const m of text.matchAll(re)) {
    total += Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[m[2] as "ms" | "s" | "m" | "h"];
    consumed += m[0].length;
  }
  if (consumed !== text.length || consumed === 0 || total <= 0) throw new ScrapeConfigError(`${what}: "${text}" is not a duration like 15s or 1m`);
  return Math.max(1, Math.ceil(total));
}

const asRecord = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null && !Array.isArray(v) ? v as Record<string, unknown> : {});

/**
 * The `scrape_configs` of a Prometheus-style YAML file, `static_configs` only: each target becomes
 * `<scheme>://<target><metrics_path>` with its job, interval (or the global one) and labels.
 */
export function parseScrapeConfig(text: string): ScrapeTargetDef[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new ScrapeConfigError(`not valid YAML: ${(err as Error).message.split("\n")[0]}`);
  }
  const root = asRecord(doc);
  const globalInterval = root.global ? asRecord(root.global).scrape_interval : undefined;
  const fallback = typeof globalInterval === "string" ? parseDurationSeconds(globalInterval, "global.scrape_interval") : DEFAULT_INTERVAL_S;
  if (!Array.isArray(root.scrape_configs)) throw new ScrapeConfigError("scrape_configs must be a list");
  return root.scrape_configs.flatMap((raw, i) => {
    const c = asRecord(raw);
    const where = `scrape_configs[${i}]`;
    if (typeof c.job_name !== "string" || !c.job_name) throw new ScrapeConfigError(`${where}.job_name is missing`);
    const interval = typeof c.scrape_interval === "string" ? parseDurationSeconds(c.scrape_interval, `${where}.scrape_interval`) : fallback;
    const scheme = typeof c.scheme === "string" ? c.scheme : "http";
    if (scheme !== "http" && scheme !== "https") throw new ScrapeConfigError(`${where}.scheme must be http or https`);
    const path = typeof c.metrics_path === "string" ? c.metrics_path : "/metrics";
    if (!Array.isArray(c.static_configs)) throw new ScrapeConfigError(`${where}.static_configs must be a list (other service discovery is not supported)`);
    return c.static_configs.flatMap((rawStatic, j) => {
      const s = asRecord(rawStatic);
      if (!Array.isArray(s.targets)) throw new ScrapeConfigError(`${where}.static_configs[${j}].targets must be a list of host:port`);
      const labels = Object.fromEntries(Object.entries(asRecord(s.labels)).map(([k, v]) => [k, String(v)]));
      return s.targets.map((t) => {
        const url = `${scheme}://${String(t)}${path}`;
        try { new URL(url); } catch { throw new ScrapeConfigError(`${where}.static_configs[${j}]: "${String(t)}" is not a host:port`); }
        return { id: `file:${c.job_name}:${url}`, job: c.job_name as string, url, intervalSeconds: interval, labels };
      });
    });
  });
}
