import { describe, expect, it } from "vitest";
import { identify } from "../../lib/ingest/sample-batch";
import { RemoteWriteCatalog } from "./series-catalog";
import type { SeriesSamples } from "./series";

const bytes = (text: string) => {
  const b = Buffer.from(text, "latin1");
  return new DataView(b.buffer, b.byteOffset, b.length);
};
const series = (text: string, name = "m"): SeriesSamples => ({ name, labels: [["i", text]], timestamps: [1], values: [1], text });

describe("RemoteWriteCatalog", () => {
  it("finds a series by the bytes of its labels wherever they lie, and gives its store key once the registry holds it", () => {
    const stored = new Set<number>();
    const catalog = new RemoteWriteCatalog({ maxSeries: 100, isStored: (k) => stored.has(k) });
    const [s] = catalog.identify([series("\n\x05job\x12a")]);
    expect(s.identity).toEqual(identify("m", [["i", "\n\x05job\x12a"]]));
    const request = bytes("xx\n\x05job\x12ayy");
    expect(catalog.lookup(request, 2, 9)).toMatchObject({ name: "m", labels: [["i", "\n\x05job\x12a"]] });
    expect(catalog.lookup(request, 2, 8)).toBeUndefined(); // a prefix is another key
    expect(catalog.lookup(request, 2, 9)?.storedKey).toBeUndefined(); // not committed yet
    stored.add(s.identity.key);
    expect(catalog.lookup(request, 2, 9)?.storedKey).toBe(s.identity.key);
    stored.clear(); // asked once: a stored series stays stored
    expect(catalog.lookup(request, 2, 9)?.storedKey).toBe(s.identity.key);
  });

  it("keeps every series apart through growth, probing and equal lengths", () => {
    const catalog = new RemoteWriteCatalog({ maxSeries: 1e6, isStored: () => true });
    const texts = Array.from({ length: 5000 }, (_, i) => `series-${i}`.padEnd(60 + (i % 7), "x"));
    const identified = catalog.identify(texts.map((t) => series(t)));
    expect(catalog.size).toBe(5000);
    texts.forEach((t, i) => expect(catalog.lookup(bytes(t), 0, t.length)?.storedKey).toBe(identified[i].identity.key));
    expect(new Set(identified.map((s) => s.identity.key)).size).toBe(5000);
    // The same text again is the same entry.
    expect(catalog.identify([series(texts[17])])[0].identity).toBe(identified[17].identity);
    expect(catalog.size).toBe(5000);
  });

  it("starts again past the series limit, so churned series cannot grow it without bound", () => {
    const catalog = new RemoteWriteCatalog({ maxSeries: 3, isStored: () => true });
    catalog.identify(["a", "b", "c", "d"].map((t) => series(t)));
    expect(catalog.size).toBe(4);
    catalog.identify([series("e")]);
    expect(catalog.size).toBe(1);
    expect(catalog.lookup(bytes("a"), 0, 1)?.storedKey).toBeUndefined();
    expect(catalog.lookup(bytes("e"), 0, 1)?.storedKey).toBeDefined();
  });

  it("gives series without a text their identity without remembering them", () => {
    const catalog = new RemoteWriteCatalog({ maxSeries: 3, isStored: () => true });
    const [s] = catalog.identify([{ name: "up", labels: [["job", "a"]], timestamps: [1], values: [1] }]);
    expect(s.identity).toEqual(identify("up", [["job", "a"]]));
    expect(catalog.size).toBe(0);
  });
});
