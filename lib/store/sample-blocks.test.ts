import { describe, expect, it } from "vitest";
import { type MinuteRollup, blockBytes, blockColumn, mergeRollups, rollUpBlocks, valueAt } from "./sample-blocks";

describe("sample blocks", () => {
  it("round-trips a column through its stored bytes, NaN and all, from an unaligned buffer", () => {
    const column = Float64Array.from([1.5, NaN, -0, 1e300, Infinity]);
    const stored = Buffer.concat([Buffer.from([7]), blockBytes(column)]).subarray(1); // byteOffset 1
    expect(Array.from(blockColumn(stored))).toEqual([1.5, NaN, -0, 1e300, Infinity]);
    expect(valueAt(stored, 0)).toBe(1.5);
    expect(valueAt(stored, 1)).toBeNull();
    expect(valueAt(stored, 4)).toBe(Infinity);
  });

  it("rolls up a shape's blocks per series: NaN counted but not summed, first and last by time", () => {
    const keys = Float64Array.from([11, 22]);
    const blocks = [
      { ts: 1000, values: Float64Array.from([5, NaN]) },
      { ts: 2000, values: Float64Array.from([NaN, NaN]) },
      { ts: 3000, values: Float64Array.from([1, NaN]) },
    ];
    expect(rollUpBlocks(keys, blocks)).toEqual([
      { seriesKey: 11, count: 3, sum: 6, min: 1, max: 5, first: 5, firstTs: 1000, last: 1, lastTs: 3000 },
      { seriesKey: 22, count: 3, sum: null, min: null, max: null, first: null, firstTs: 1000, last: null, lastTs: 3000 },
    ]);
  });

  it("merges two parts of a series' minute whichever comes first", () => {
    const rows: MinuteRollup = { seriesKey: 1, count: 2, sum: 10, min: 4, max: 6, first: 4, firstTs: 1000, last: 6, lastTs: 2000 };
    const blocks: MinuteRollup = { seriesKey: 1, count: 1, sum: null, min: null, max: null, first: null, firstTs: 1500, last: null, lastTs: 3000 };
    const merged = { seriesKey: 1, count: 3, sum: 10, min: 4, max: 6, first: 4, firstTs: 1000, last: null, lastTs: 3000 };
    expect(mergeRollups(rows, blocks)).toEqual(merged);
    expect(mergeRollups(blocks, rows)).toEqual(merged);
  });
});
