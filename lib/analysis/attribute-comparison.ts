/**
 * Which attribute values are over-represented among the flagged (slow or failing) spans of one
 * operation, compared with the rest of its spans: "all the slow ones ran SELECT * FROM big on
 * pod-3". Pure: plain spans in, plain figures out.
 */

export interface ComparedSpan {
  durationMs: number;
  error: boolean;
  /** Span attributes. */
  attributes: Record<string, unknown>;
  /** Resource attributes; reported with the key prefixed by `resource.`. */
  resource: Record<string, unknown>;
}

export interface AttributeComparisonOptions {
  /** A value must be on at least this many flagged spans to be reported (default 2). */
  minFlaggedCount?: number;
  /**
   * Keys with more distinct values than this share of all spans are ids, timestamps and the
   * like, unique per span and meaningless to compare; they are skipped (default 0.5).
   */
  maxDistinctShare?: number;
  /** How many values to report, most over-represented first (default 20). */
  limit?: number;
}

export interface AttributeValueComparison {
  key: string;
  /** The value in string form; arrays and objects as JSON text. */
  value: string;
  /** Share (0–1) of the flagged spans that carry this value. */
  flaggedShare: number;
  /** Share (0–1) of the baseline (not flagged) spans that carry this value. */
  baselineShare: number;
  /** flaggedShare / baselineShare; null when no baseline span carries the value (only among the flagged). */
  lift: number | null;
  flaggedCount: number;
  baselineCount: number;
}

export interface AttributeComparison {
  /** How many spans were flagged, and how many form the baseline. */
  flagged: number;
  baseline: number;
  attributes: AttributeValueComparison[];
}

export const RESOURCE_PREFIX = "resource.";

/** The value as compared and shown: strings as they are, arrays and objects as JSON text. */
export function attributeValueText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  try {
    return JSON.stringify(v);
  } catch {
    return null;
  }
}

interface ValueCounts { flagged: number; baseline: number }

/**
 * Compares the attribute values of the flagged spans with those of the others, ranked by how
 * much more common each value is among the flagged ones (flaggedShare − baselineShare), then by
 * lift. Only values over-represented among the flagged spans are reported.
 */
export function compareAttributes<S extends ComparedSpan>(
  spans: readonly S[],
  isFlagged: (s: S) => boolean,
  opts: AttributeComparisonOptions = {},
): AttributeComparison {
  const minFlaggedCount = Math.max(1, opts.minFlaggedCount ?? 2);
  const maxDistinctShare = opts.maxDistinctShare ?? 0.5;
  const limit = Math.max(0, opts.limit ?? 20);

  let flagged = 0;
  let baseline = 0;
  /** key → value → counts per group. */
  const byKey = new Map<string, Map<string, ValueCounts>>();

  const add = (key: string, raw: unknown, isFlaggedSpan: boolean) => {
    const value = attributeValueText(raw);
    if (value === null) return;
    let values = byKey.get(key);
    if (!values) byKey.set(key, (values = new Map()));
    let c = values.get(value);
    if (!c) values.set(value, (c = { flagged: 0, baseline: 0 }));
    if (isFlaggedSpan) c.flagged++;
    else c.baseline++;
  };

  for (const s of spans) {
    const f = isFlagged(s);
    if (f) flagged++;
    else baseline++;
    for (const [k, v] of Object.entries(s.attributes ?? {})) add(k, v, f);
    for (const [k, v] of Object.entries(s.resource ?? {})) add(RESOURCE_PREFIX + k, v, f);
  }

  const total = flagged + baseline;
  const rows: (AttributeValueComparison & { diff: number })[] = [];
  if (flagged > 0) {
    for (const [key, values] of byKey) {
      if (values.size > maxDistinctShare * total) continue; // an id or a timestamp
      for (const [value, c] of values) {
        if (c.flagged < minFlaggedCount) continue;
        const flaggedShare = c.flagged / flagged;
        const baselineShare = baseline > 0 ? c.baseline / baseline : 0;
        const diff = flaggedShare - baselineShare;
        if (!(diff > 1e-12)) continue;
        rows.push({
          key, value, flaggedShare, baselineShare,
          lift: baselineShare > 0 ? flaggedShare / baselineShare : null,
          flaggedCount: c.flagged, baselineCount: c.baseline, diff,
        });
      }
    }
  }

  rows.sort((a, b) =>
    b.diff - a.diff
    || liftRank(b.lift) - liftRank(a.lift)
    || b.flaggedCount - a.flaggedCount
    || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
    || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));

  return {
    flagged,
    baseline,
    attributes: rows.slice(0, limit).map(({ diff: _diff, ...r }) => r),
  };
}

function liftRank(lift: number | null): number {
  return lift === null ? Number.POSITIVE_INFINITY : lift;
}
