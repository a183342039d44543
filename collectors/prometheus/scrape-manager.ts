import { readFileSync } from "node:fs";
import type { MetricsIngest } from "../../lib/ingest/metrics-ingest";
import { takeLease } from "../../lib/store/housekeeping";
import { prisma } from "../../lib/store/prisma";
import { listScrapeTargets, recordScrapes, syncFileTargets, type StoredScrapeTarget } from "../../lib/store/scrape-target-store";
import { textKey } from "../../lib/store/span-keys";
import type { Sql } from "../../lib/store/sql";
import { parseScrapeConfig } from "./scrape-config";
import { type ScrapeResult, TargetMemory, scrapeOnce } from "./scrape";
import { turns } from "./turns";

/** How often the target list is re-read, so targets added in the UI start within seconds. */
const RECONCILE_EVERY_MS = 5000;
const LEASE_MS = 15_000;
const MAX_TIMEOUT_MS = 10_000;

export interface ScrapingOptions { configFile?: string; concurrency: number; holder: string; maxBodyBytes: number; maxLabelValueLength: number }

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
  const store = async (result: ScrapeResult): Promise<string | undefined> => {
    try {
      const stored = (result.columns && (await metrics.ingestColumns(result.columns))) ?? (await metrics.ingest(result.series(), result.metadata));
      return stored.droppedSeries > 0 ? metrics.limitMessage(stored) : result.error;
    } catch (err) {
      return `not stored: ${(err as Error).message}`;
    }
  };
  const inTurn = turns(opts.concurrency);
  const scrape = async (target: StoredScrapeTarget, memory: TargetMemory) => {
    let atMs = 0;
    const once = () => {
      atMs = Date.now();
      return scrapeOnce(target, { nowMs: atMs, timeoutMs: Math.min(target.intervalSeconds * 1000, MAX_TIMEOUT_MS), maxBytes: opts.maxBodyBytes, maxLabelValueLength: opts.maxLabelValueLength }, memory);
    };
    // A target that is down does not wait for a turn nor hold one: targets that do not answer
    // until their timeout would otherwise take every turn and hold up the ones that do.
    const result = memory.failed ? await once() : await inTurn(once);
    memory.failed = result.error !== undefined;
    // Written in the background, as Prometheus appends to its head: the next scrape is due on the
    // interval, not once this one is committed. The queue bounds what waits (past it, the samples
    // are refused and the outcome says so); a later scrape's outcome is never replaced by an earlier one's.
    void store(result).then((error) => {
      if ((outcomes.get(target.id)?.atMs ?? -Infinity) > atMs) return;
      outcomes.set(target.id, { id: target.id, atMs, durationMs: result.durationMs, samples: result.samples, ...(error ? { error } : {}) });
    });
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
      running.set(id, { target, stop: scrapeEvery(target, (memory) => scrape(target, memory)) });
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
function scrapeEvery(target: StoredScrapeTarget, scrape: (memory: TargetMemory) => Promise<void>): () => void {
  const memory = new TargetMemory(target);
  const intervalMs = target.intervalSeconds * 1000;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  // As Prometheus does, each target starts at its own offset within the interval (from its id), so
  // hundreds of targets are scraped spread over the interval rather than all at once.
  let due = Date.now() + (textKey(target.id) % intervalMs);
  const run = async () => {
    await scrape(memory).catch((err) => console.error(`scrape ${target.url}: ${(err as Error).message}`));
    // On a fixed grid, as Prometheus' ticker: a timer that fires late does not push every later
    // scrape back (a busy collector would otherwise scrape a few percent less often than asked).
    due = Math.max(due + intervalMs, Date.now());
    if (!stopped) timer = setTimeout(() => void run(), due - Date.now());
  };
  timer = setTimeout(() => void run(), due - Date.now());
  return () => { stopped = true; clearTimeout(timer); };
}
