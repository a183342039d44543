/**
 * Shapes of the metrics API (/api/scrape-targets, /api/metrics/*, /api/resource-mappings) that
 * the scrape-target and resource settings pages read; /api/resources is in api.ts.
 */

import type { MinuteStat, ResourceKind, ResourceMappingDef, SeriesInfo } from "@/lib/analysis/resource-types";

export type { ResourceKind, ResourceMappingDef };

/** A target as GET /api/scrape-targets gives it; ids starting with "file:" come from the scrape config file. */
export interface ScrapeTarget {
  id: string; job: string; url: string; intervalSeconds: number; labels: Record<string, string>;
  source: "api" | "file";
  lastScrapeMs?: number; lastDurationMs?: number; lastSamples?: number; lastError?: string;
}

export interface ScrapeTargetsResponse {
  targets: ScrapeTarget[];
}

export interface SeriesRow extends SeriesInfo {
  latest: { ts: number; value: number | null } | null;
}

export interface SeriesResponse {
  series: SeriesRow[];
  targets: Array<{ job: string; instance: string; series: number }>;
}

export interface ChartResponse {
  series: Array<{ key: number; points: MinuteStat[] }>;
}

export interface MappingsResponse {
  mappings: ResourceMappingDef[];
}

export const KIND_LABELS: Record<ResourceKind, string> = { cpu: "CPU", memory: "memory", queue: "queue", pool: "pool" };

/** A kind in words; one the page does not know yet as the server spells it. */
export function kindLabel(kind: string): string {
  return KIND_LABELS[kind as ResourceKind] ?? kind;
}
