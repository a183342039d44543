import { endianness } from "node:os";

// Blocks and shapes hold float64 columns as the machine holds them; every platform Node runs on
// for this (x86-64, ARM64) is little-endian, and the stored bytes are defined as little-endian.
if (endianness() !== "LE") throw new Error("Pinchpoint stores metric blocks as little-endian float64s: this machine is big-endian");

/** A float64 column as the bytes a block or shape stores (no copy). */
export const blockBytes = (column: Float64Array) => Buffer.from(column.buffer, column.byteOffset, column.byteLength);

/** Stored bytes back as a column (copied: a driver's buffer need not be 8-byte aligned). */
export function blockColumn(bytes: Uint8Array): Float64Array {
  const column = new Float64Array(bytes.byteLength / 8);
  new Uint8Array(column.buffer).set(bytes);
  return column;
}

/** One series' minute: what `metric_rollups` keeps. Aggregates skip NaN; first and last are the values at the first and last times. */
export interface MinuteRollup {
  seriesKey: number; count: number; sum: number | null; min: number | null; max: number | null;
  first: number | null; firstTs: number; last: number | null; lastTs: number;
}

const orNull = (v: number) => (Number.isNaN(v) ? null : v);

/** The rollups of one shape's blocks within a minute, blocks in time order: one per series of the shape. */
export function rollUpBlocks(keys: Float64Array, blocks: { ts: number; values: Float64Array }[]): MinuteRollup[] {
  const n = keys.length;
  const sum = new Float64Array(n);
  const min = new Float64Array(n).fill(Infinity);
  const max = new Float64Array(n).fill(-Infinity);
  const valued = new Uint8Array(n);
  for (const b of blocks) {
    const v = b.values;
    for (let i = 0; i < n; i++) {
      const x = v[i];
      if (x !== x) continue; // NaN: counted, not summed
      sum[i] += x;
      if (x < min[i]) min[i] = x;
      if (x > max[i]) max[i] = x;
      valued[i] = 1;
    }
  }
  const first = blocks[0];
  const last = blocks[blocks.length - 1];
  const out: MinuteRollup[] = new Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = {
      seriesKey: keys[i], count: blocks.length,
      sum: valued[i] ? sum[i] : null, min: valued[i] ? min[i] : null, max: valued[i] ? max[i] : null,
      first: orNull(first.values[i]), firstTs: first.ts, last: orNull(last.values[i]), lastTs: last.ts,
    };
  }
  return out;
}

/** `op` over two aggregates, either of which may be null (no number among its samples). */
const either = (op: (a: number, b: number) => number) => (a: number | null, b: number | null) => (a === null ? b : b === null ? a : op(a, b));
const plus = either((a, b) => a + b);
const least = either(Math.min);
const most = either(Math.max);

/** One series' minute from two parts of its samples (rows and blocks, or blocks of two shapes). */
export function mergeRollups(a: MinuteRollup, b: MinuteRollup): MinuteRollup {
  const early = a.firstTs <= b.firstTs ? a : b;
  const later = a.lastTs >= b.lastTs ? a : b;
  return {
    seriesKey: a.seriesKey, count: a.count + b.count, sum: plus(a.sum, b.sum), min: least(a.min, b.min), max: most(a.max, b.max),
    first: early.first, firstTs: early.firstTs, last: later.last, lastTs: later.lastTs,
  };
}

/** The value at `position` of a stored column, NaN as null (as raw samples come back). */
export const valueAt = (bytes: Uint8Array, position: number) => orNull(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).readDoubleLE(position * 8));
