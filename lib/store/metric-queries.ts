import type { MinuteStat, SeriesInfo } from "../analysis/resource-types";
import type { Prisma } from "./prisma";
import { valueAt } from "./sample-blocks";

const MINUTE_MS = 60_000;
/** Prisma binds each key as a parameter; SQLite takes at most 999 per statement. */
const KEYS_PER_QUERY = 900;

type SeriesRow = { key: bigint; name: string; labels: string; type: string };
const toInfo = (r: SeriesRow): SeriesInfo => ({ key: Number(r.key), name: r.name, labels: JSON.parse(r.labels) as Record<string, string>, type: r.type });

/** The series whose metric name passes `wanted`: the names are read first (an index scan), then only their series. */
export async function seriesNamed(db: Prisma, wanted: (name: string) => boolean): Promise<SeriesInfo[]> {
  const names = (await db.metricSeries.findMany({ distinct: ["name"], select: { name: true } })).map((r) => r.name).filter(wanted);
  if (names.length === 0) return [];
  return (await db.metricSeries.findMany({ where: { name: { in: names } }, select: { key: true, name: true, labels: true, type: true } })).map(toInfo);
}

export interface SeriesFilter { job?: string; instance?: string; name?: string; limit: number }

/** Series matching the filter (name by prefix), with their last sample in the last `recentMs`. */
export async function browseSeries(db: Prisma, f: SeriesFilter, nowMs: number, recentMs = 10 * MINUTE_MS) {
  const rows = await db.metricSeries.findMany({
    where: { ...(f.job ? { job: f.job } : {}), ...(f.instance ? { instance: f.instance } : {}), ...(f.name ? { name: { startsWith: f.name } } : {}) },
    orderBy: [{ name: "asc" }, { labels: "asc" }], take: f.limit,
    select: { key: true, name: true, labels: true, type: true },
  });
  const latest = new Map<number, { ts: number; value: number | null }>();
  for (let i = 0; i < rows.length; i += KEYS_PER_QUERY) {
    const samples = await db.metricSample.findMany({
      where: { minute: { gte: Math.floor((nowMs - recentMs) / MINUTE_MS) }, seriesKey: { in: rows.slice(i, i + KEYS_PER_QUERY).map((r) => r.key) } },
      select: { seriesKey: true, ts: true, value: true },
    });
    for (const s of [...samples, ...(await latestScraped(db, rows.slice(i, i + KEYS_PER_QUERY).map((r) => r.key), nowMs - recentMs))]) {
      const k = Number(s.seriesKey);
      if ((latest.get(k)?.ts ?? -Infinity) < s.ts) latest.set(k, { ts: s.ts, value: s.value });
    }
  }
  return rows.map((r) => ({ ...toInfo(r), latest: latest.get(Number(r.key)) ?? null }));
}

/** The last scraped value since `fromMs` of each series in `keys` that is in a shape: one block read per shape. */
async function latestScraped(db: Prisma, keys: bigint[], fromMs: number) {
  const positions = await db.metricShapeSeries.findMany({ where: { seriesKey: { in: keys } } });
  const out: { seriesKey: bigint; ts: number; value: number | null }[] = [];
  for (const shapeId of new Set(positions.map((p) => p.shapeId))) {
    const block = await db.metricBlock.findFirst({ where: { shapeId, ts: { gte: fromMs } }, orderBy: { ts: "desc" }, select: { ts: true, sampleValues: true } });
    if (!block) continue;
    for (const p of positions) if (p.shapeId === shapeId) out.push({ seriesKey: p.seriesKey, ts: block.ts, value: valueAt(block.sampleValues, p.position) });
  }
  return out;
}

/** The jobs and instances that have series, for the scrape page and filters. */
export async function seriesTargets(db: Prisma): Promise<{ job: string; instance: string; series: number }[]> {
  const rows = await db.metricSeries.groupBy({ by: ["job", "instance"], _count: { _all: true }, orderBy: [{ job: "asc" }, { instance: "asc" }] });
  return rows.map((r) => ({ job: r.job, instance: r.instance, series: r._count._all }));
}

/**
 * Per-minute statistics of each series over [fromMinute, toMinute] from the minute rollups. A
 * counter's rate is its increase since the previous minute's last sample, per second; a value
 * lower than the one before is a counter reset, after which the counter counts from zero.
 */
export async function minuteStats(db: Prisma, keys: number[], fromMinute: number, toMinute: number): Promise<Map<number, MinuteStat[]>> {
  const out = new Map<number, MinuteStat[]>();
  for (let i = 0; i < keys.length; i += KEYS_PER_QUERY) {
    const rows = await db.metricRollup.findMany({
      where: { seriesKey: { in: keys.slice(i, i + KEYS_PER_QUERY).map(BigInt) }, minute: { gte: fromMinute - 1, lte: toMinute } },
      orderBy: [{ seriesKey: "asc" }, { minute: "asc" }],
    });
    let previous: (typeof rows)[number] | undefined;
    for (const r of rows) {
      const key = Number(r.seriesKey);
      const before = previous && previous.seriesKey === r.seriesKey ? previous : undefined;
      previous = r;
      // A minute of NaN only (a stale series) says nothing.
      if (r.minute < fromMinute || r.max === null) continue;
      const stat: MinuteStat = { t: r.minute * MINUTE_MS, avg: (r.sum ?? 0) / r.count, max: r.max, last: r.last ?? r.max };
      if (before && before.last !== null && r.first !== null && r.last !== null && r.lastTs > before.lastTs) {
        const across = r.first >= before.last ? r.first - before.last : r.first;
        const within = r.last >= r.first ? r.last - r.first : r.last;
        stat.rate = (across + within) / ((r.lastTs - before.lastTs) / 1000);
      }
      const list = out.get(key) ?? [];
      list.push(stat);
      out.set(key, list);
    }
  }
  return out;
}

/** The raw samples of one series in [fromMs, toMs], stored as rows or in scrape blocks, oldest first (NaN comes back as null). */
export async function rawSamples(db: Prisma, key: number, fromMs: number, toMs: number): Promise<{ ts: number; value: number | null }[]> {
  const rows = await db.metricSample.findMany({
    where: { minute: { gte: Math.floor(fromMs / MINUTE_MS), lte: Math.floor(toMs / MINUTE_MS) }, seriesKey: BigInt(key), ts: { gte: fromMs, lte: toMs } },
    select: { ts: true, value: true }, orderBy: { ts: "asc" },
  });
  const positions = await db.metricShapeSeries.findMany({ where: { seriesKey: BigInt(key) }, select: { shapeId: true, position: true } });
  if (positions.length === 0) return rows;
  for (const { shapeId, position } of positions) {
    const blocks = await db.metricBlock.findMany({ where: { shapeId, ts: { gte: fromMs, lte: toMs } }, select: { ts: true, sampleValues: true } });
    for (const b of blocks) rows.push({ ts: b.ts, value: valueAt(b.sampleValues, position) });
  }
  return rows.sort((a, b) => a.ts - b.ts);
}
