/**
 * Shapes of the metrics API (/api/scrape-targets, /api/metrics/*, /api/resource-mappings) that
 * the scrape-target and resource settings pages read; /api/resources is in api.ts.
 */

import type { MinuteStat, ResourceKind, ResourceMappingDef, SeriesInfo } from "@/lib/analysis/resource-types";
import type { StoredScrapeTarget } from "@/lib/store/scrape-target-store";

export type { ResourceKind, ResourceMappingDef };

export type ScrapeTarget = StoredScrapeTarget;

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
