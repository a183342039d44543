import { randomUUID } from "node:crypto";
import type { Prisma } from "./prisma";

/** A scrape target as stored; ids starting with "file:" come from the scrape config file. */
export interface StoredScrapeTarget {
  id: string; job: string; url: string; intervalSeconds: number; labels: Record<string, string>;
  source: "api" | "file";
  lastScrapeMs?: number; lastDurationMs?: number; lastSamples?: number; lastError?: string;
}

type Row = Awaited<ReturnType<Prisma["scrapeTarget"]["findFirstOrThrow"]>>;

const fromRow = (r: Row): StoredScrapeTarget => ({
  id: r.id, job: r.job, url: r.url, intervalSeconds: r.intervalSeconds, labels: JSON.parse(r.labels) as Record<string, string>,
  source: r.id.startsWith("file:") ? "file" : "api",
  ...(r.lastScrapeMs === null ? {} : { lastScrapeMs: r.lastScrapeMs }), ...(r.lastDurationMs === null ? {} : { lastDurationMs: r.lastDurationMs }),
  ...(r.lastSamples === null ? {} : { lastSamples: r.lastSamples }), ...(r.lastError === null ? {} : { lastError: r.lastError }),
});

export async function listScrapeTargets(db: Prisma): Promise<StoredScrapeTarget[]> {
  return (await db.scrapeTarget.findMany({ orderBy: [{ job: "asc" }, { url: "asc" }] })).map(fromRow);
}

export type NewScrapeTarget = Pick<StoredScrapeTarget, "job" | "url" | "intervalSeconds" | "labels">;

export async function createScrapeTarget(db: Prisma, t: NewScrapeTarget, now = Date.now()): Promise<StoredScrapeTarget> {
  return fromRow(await db.scrapeTarget.create({ data: { id: randomUUID(), job: t.job, url: t.url, intervalSeconds: t.intervalSeconds, labels: JSON.stringify(t.labels), createdMs: now } }));
}

/** False when there is no such target; targets from the file cannot be deleted here. */
export async function deleteScrapeTarget(db: Prisma, id: string): Promise<boolean> {
  return (await db.scrapeTarget.deleteMany({ where: { id, NOT: { id: { startsWith: "file:" } } } })).count > 0;
}

/** Makes the file's targets the stored "file:" ones: new ones added, changed ones updated, removed ones deleted. */
export async function syncFileTargets(db: Prisma, targets: (NewScrapeTarget & { id: string })[], now = Date.now()): Promise<void> {
  await db.$transaction([
    db.scrapeTarget.deleteMany({ where: { id: { startsWith: "file:", notIn: targets.map((t) => t.id) } } }),
    ...targets.map((t) => db.scrapeTarget.upsert({
      where: { id: t.id },
      create: { id: t.id, job: t.job, url: t.url, intervalSeconds: t.intervalSeconds, labels: JSON.stringify(t.labels), createdMs: now },
      update: { intervalSeconds: t.intervalSeconds, labels: JSON.stringify(t.labels) },
    })),
  ]);
}

/** The latest scrape of each target, in one transaction. */
export async function recordScrapes(db: Prisma, outcomes: { id: string; atMs: number; durationMs: number; samples: number; error?: string }[]): Promise<void> {
  await db.$transaction(outcomes.map((o) => db.scrapeTarget.updateMany({ where: { id: o.id },
    data: { lastScrapeMs: o.atMs, lastDurationMs: o.durationMs, lastSamples: o.samples, lastError: o.error ?? null } })));
}
