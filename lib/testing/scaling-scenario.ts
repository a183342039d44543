import type { SeriesSamples } from "../../collectors/prometheus/series";

/**
 * Test support: twenty minutes of a small system that needs scaling advice, backdated so the
 * minutes are over (metric minutes are rolled up once they end):
 * - a service on 3 instances with a 1-core limit each whose CPU climbs from 30 % to 92 %, and
 *   whose latency climbs with it: ceil(3 × 0.92 / 0.70) = 4 replicas at a 70 % target;
 * - a PostgreSQL whose connections climb to 95 of 100, shared by two services that slow down
 *   with it: more replicas of either would only add clients to the same database.
 * Used by lib/metrics/scaling.int.test.ts and e2e/recommendations.spec.ts.
 */
export const SCENARIO_MINUTES = 20;
const MINUTE_MS = 60_000;

export const scenarioStart = (nowMs = Date.now()) => (Math.floor(nowMs / MINUTE_MS) - SCENARIO_MINUTES - 1) * MINUTE_MS;

/** Utilization in minute m: rising from `low`, then flat at `high` for the last 5 minutes. */
const rising = (low: number, high: number) => (m: number) =>
  m >= SCENARIO_MINUTES - 5 ? high : low + ((high - low) * m) / (SCENARIO_MINUTES - 5);
export const cpuLoad = rising(0.3, 0.92);
export const poolLoad = rising(0.2, 0.95);

/** Scrapes every 15 s, 7 s into each quarter minute. */
const scrapeTimes = (start: number) => Array.from({ length: SCENARIO_MINUTES * 4 }, (_, i) => start + i * 15_000 + 7_000);

/** process_cpu_seconds_total and process_cpu_limit_cores (1) of each instance. */
export function cpuSeries(service: string, instances: string[], start: number): SeriesSamples[] {
  return instances.flatMap((instance) => {
    const labels: [string, string][] = [["instance", instance], ["job", service]];
    const timestamps = scrapeTimes(start);
    let used = 1000;
    const seconds = timestamps.map((_, i) => (used += cpuLoad(Math.floor(i / 4)) * 15)); // CPU seconds per 15 s at this utilization
    return [
      { name: "process_cpu_seconds_total", labels, timestamps, values: seconds },
      { name: "process_cpu_limit_cores", labels, timestamps, values: timestamps.map(() => 1) },
    ];
  });
}

/** pg_stat_activity_count climbing to 95 against pg_settings_max_connections 100, as postgres_exporter reports them. */
export function poolSeries(job: string, instance: string, start: number): SeriesSamples[] {
  const labels: [string, string][] = [["instance", instance], ["job", job]];
  const timestamps = scrapeTimes(start);
  return [
    { name: "pg_stat_activity_count", labels: [["datname", "shop"], ...labels, ["state", "active"]], timestamps,
      values: timestamps.map((_, i) => Math.round(poolLoad(Math.floor(i / 4)) * 100)) },
    { name: "pg_settings_max_connections", labels, timestamps, values: timestamps.map(() => 100) },
  ];
}

/** 30 requests a minute, slower as `load` fills: 20 ms calm, up to about 200 ms saturated. */
export function scenarioRequests(load: (minute: number) => number, start: number): { startMs: number; endMs: number }[] {
  return Array.from({ length: SCENARIO_MINUTES * 30 }, (_, n) => {
    const m = Math.floor(n / 30);
    const i = n % 30;
    const startMs = start + m * MINUTE_MS + i * 2000;
    return { startMs, endMs: startMs + (20 + 200 * load(m) ** 4) * (0.9 + 0.2 * (i / 30)) };
  });
}
