import { describe, expect, it } from "vitest";
import { SeriesRegistry, identify } from "./sample-batch";

const scrape = (names: string[], v: number) => names.map((n) => ({ name: "m", identity: identify("m", [["n", n]]), timestamps: [v], values: [v] }));
const keysOf = (names: string[]) => Float64Array.from(names, (n) => identify("m", [["n", n]]).key);

describe("SeriesRegistry", () => {
  it("gives a series' row with the first write that has it, not again while that write is queued", () => {
    const registry = new SeriesRegistry(10, []);
    const first = registry.admit(scrape(["a", "b"], 1), new Map());
    expect(first.batch.series.map((r) => r.labels)).toEqual(['{"n":"a"}', '{"n":"b"}']);
    const second = registry.admit(scrape(["a", "b", "c"], 2), new Map());
    expect(second.batch.series.map((r) => r.labels)).toEqual(['{"n":"c"}']); // only the new one
    expect([...second.batch.values]).toEqual([2, 2, 2]); // every sample, with or without its row
    expect(registry.knows(keysOf(["a", "b", "c"]))).toBe(true);
    expect(registry.holds(keysOf(["a"]))).toBe(false); // queued, not committed
    registry.committed(first.batch.series);
    expect(registry.holds(keysOf(["a", "b"]))).toBe(true);
    expect(registry.holds(keysOf(["a", "c"]))).toBe(false);
  });

  it("sends the rows of a failed write again, and never a stored series' row", () => {
    const registry = new SeriesRegistry(10, keysOf(["stored"]));
    const failed = registry.admit(scrape(["stored", "new"], 1), new Map());
    expect(failed.batch.series.map((r) => r.labels)).toEqual(['{"n":"new"}']);
    registry.forget(failed.batch.series);
    expect(registry.knows(keysOf(["new"]))).toBe(false);
    expect(registry.knows(keysOf(["stored"]))).toBe(true);
    expect(registry.admit(scrape(["stored", "new"], 2), new Map()).batch.series.map((r) => r.labels)).toEqual(['{"n":"new"}']);
  });

  it("counts queued series against the limit, and frees the place of a forgotten one", () => {
    const registry = new SeriesRegistry(2, []);
    const queued = registry.admit(scrape(["a", "b"], 1), new Map());
    expect(registry.admit(scrape(["c"], 1), new Map())).toMatchObject({ droppedSeries: 1, droppedSamples: 1 });
    registry.forget(queued.batch.series);
    expect(registry.admit(scrape(["c"], 1), new Map())).toMatchObject({ droppedSeries: 0 });
  });
});
