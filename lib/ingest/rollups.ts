import { bucketIndex } from "../analysis/histogram";
import { isEntrySpan } from "../analysis/span-kind";
import type { RollupDelta } from "../store/rollup-delta";
import type { SpanRecord } from "./span-record";

const MINUTE_MS = 60_000;
const STATUS_ERROR = 2;

/** Folds spans into per-minute (service, operation, kind, entry) rollups, ready to add to the store. */
export function rollupsOf(spans: SpanRecord[]): RollupDelta[] {
  const byKey = new Map<string, RollupDelta>();
  for (const s of spans) {
    const minute = Math.floor(s.startMs / MINUTE_MS);
    const entry = isEntrySpan(s) ? 1 : 0;
    const key = `${minute}\u0000${s.service}\u0000${s.name}\u0000${s.kind}\u0000${entry}`;
    let d = byKey.get(key);
    if (!d) {
      d = { minute, service: s.service, operation: s.name, kind: s.kind, entry, count: 0, errors: 0, sumMs: 0, buckets: new Map() };
      byKey.set(key, d);
    }
    d.count++;
    if (s.statusCode === STATUS_ERROR) d.errors++;
    d.sumMs += s.durationMs;
    const b = bucketIndex(s.durationMs);
    d.buckets.set(b, (d.buckets.get(b) ?? 0) + 1);
  }
  return [...byKey.values()];
}
