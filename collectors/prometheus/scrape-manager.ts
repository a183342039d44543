import { readFileSync } from "node:fs";
import type { MetricsIngest } from "../../lib/ingest/metrics-ingest";
import { takeLease } from "../../lib/store/housekeeping";
import { prisma } from "../../lib/store/prisma";
import { listScrapeTargets, recordScrapes, syncFileTargets, type StoredScrapeTarget } from "../../lib/store/scrape-target-store";
import type { Sql } from "../../lib/store/sql";
import { parseScrapeConfig } from "./scrape-config";
import { type SeriesCache, scrapeOnce } from "./scrape";

/** How often the target list is re-read, so targets added in the UI start within seconds. */
const RECONCILE_EVERY_MS = 5000;
const LEASE_MS = 15_000;
const MAX_TIMEOUT_MS = 10_000;

export interface ScrapingOptions { configFile?: string; holder: string; maxBodyBytes: number; maxLabelValueLength: number }

/**
 * The scrape loop: every target on its own interval, in one replica at a time (a lease), with
 * targets from the config file and from the store. Returns a function that stops it.
 */
export async function startScraping(sql: Sql, metrics: MetricsIngest, opts: ScrapingOptions): Promise<() => void> {
  if (opts.configFile) await syncFileTargets(prisma(), parseScrapeConfig(readFileSync(opts.configFile, "utf8")));
  const running = new Map<string, { target: StoredScrapeTarget; stop: () => void }>();
  const stopAll = () => { for (const r of running.values()) r.stop(); running.clear(); };

  // Outcomes are written in one transaction per reconcile rather than one statement per scrape:
  // hundreds of targets a second would otherwise fight the sample writer for SQLite's write lock.
  const outcomes = new Map<string, Parameters<typeof recordScrapes>[1][number]>();
  const scrape = async (target: StoredScrapeTarget, cache: SeriesCache) => {
    const atMs = Date.now();
    const result = await scrapeOnce(target, { nowMs: atMs, timeoutMs: Math.min(target.intervalSeconds * 1000, MAX_TIMEOUT_MS), maxBytes: opts.maxBodyBytes, maxLabelValueLength: opts.maxLabelValueLength }, cache);
    let error = result.error;
    try {
      const stored = await metrics.ingest(result.series, result.metadata);
      if (stored.droppedSeries > 0) error = metrics.limitMessage(stored);
    } catch (err) {
      error = `not stored: ${(err as Error).message}`;
    }
    outcomes.set(target.id, { id: target.id, atMs, durationMs: result.durationMs, samples: result.samples, ...(error ? { error } : {}) });
  };

  const reconcile = async () => {
    const done = [...outcomes.values()];
    outcomes.clear();
    if (done.length > 0) await recordScrapes(prisma(), done);
    if (!(await takeLease(sql, "scrape", opts.holder, LEASE_MS))) { stopAll(); return; }
    const targets = new Map((await listScrapeTargets(prisma())).map((t) => [t.id, t]));
    for (const [id, r] of running) {
      const now = targets.get(id);
      if (!now || now.intervalSeconds !== r.target.intervalSeconds || now.url !== r.target.url || JSON.stringify(now.labels) !== JSON.stringify(r.target.labels)) {
        r.stop();
        running.delete(id);
      }
    }
    for (const [id, target] of targets) {
      if (running.has(id)) continue;
      running.set(id, { target, stop: scrapeEvery(target, (cache) => scrape(target, cache)) });
    }
  };
  const tick = () => { reconcile().catch((err) => console.error(`scrape targets: ${(err as Error).message}`)); };
  tick();
  const timer = setInterval(tick, RECONCILE_EVERY_MS);
  return () => { clearInterval(timer); stopAll(); };
}

/**
 * Scrapes a target every interval, like Prometheus never two at once: a scrape that overruns its
 * interval is followed by the next one at once, so under overload every target is scraped as
 * often as the collector can, rather than skipping whole intervals. Returns a function that stops it.
 */
function scrapeEvery(target: StoredScrapeTarget, scrape: (cache: SeriesCache) => Promise<void>): () => void {
  const cache: SeriesCache = new Map();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const run = async () => {
    const started = Date.now();
    await scrape(cache).catch((err) => console.error(`scrape ${target.url}: ${(err as Error).message}`));
    if (!stopped) timer = setTimeout(() => void run(), Math.max(0, target.intervalSeconds * 1000 - (Date.now() - started)));
  };
  void run();
  return () => { stopped = true; clearTimeout(timer); };
}
