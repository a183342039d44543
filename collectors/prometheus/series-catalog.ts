/**
 * The remote_write series seen so far, by the raw bytes of their labels. Prometheus sends the same
 * series request after request; a known one costs the decoder a hash of its label bytes, and once
 * stored, its samples go to the store by key with no label decoding, no objects and no admission.
 *
 * The bytes are hashed and compared where they lie in the request, four at a time through a
 * DataView, so a lookup allocates nothing: no string to key a Map with, which cost three times as
 * much per series, and no byte-by-byte loop, which cost more than twice as much.
 */
import { type SeriesIdentity, type SeriesRegistry, identify } from "../../lib/ingest/sample-batch";
import { sameBytes, viewOf } from "./byte-views";
import type { SeriesCatalog } from "./remote-write";
import type { SeriesSamples } from "./series";

/** `storedKey` is set once the registry holds the series: stored series stay stored, so it is asked until then and never again. */
interface Entry { name: string; labels: [string, string][]; identity: SeriesIdentity; storedKey?: number }

/** MurmurHash3's x86 32-bit mixing, four bytes at a time. */
function hashBytes(b: DataView, start: number, end: number): number {
  let h = end - start;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    let k = Math.imul(b.getInt32(i, true), 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h ^= k;
    h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
  }
  for (; i < end; i++) {
    h ^= Math.imul(b.getUint8(i), 0xcc9e2d51);
    h = Math.imul((h << 15) | (h >>> 17), 0x1b873593);
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export class RemoteWriteCatalog implements SeriesCatalog {
  private entries: Entry[] = [];
  /** Per entry: its hash, and where its bytes lie in `bytes`. */
  private hashes = new Int32Array(1024);
  private offsets = new Int32Array(1024);
  private lengths = new Int32Array(1024);
  private bytes = new Uint8Array(64 * 1024);
  private view = viewOf(this.bytes);
  private used = 0;
  /** Open addressing: entry index + 1, 0 for an empty slot; at most half full. */
  private slots = new Int32Array(2048);

  constructor(private readonly registry: Pick<SeriesRegistry, "isStored" | "maxSeries">) {}

  get size(): number { return this.entries.length; }

  lookup(buf: DataView, start: number, end: number): Entry | undefined {
    const e = this.find(buf, start, end);
    if (e !== undefined && e.storedKey === undefined && this.registry.isStored(e.identity.key)) e.storedKey = e.identity.key;
    return e;
  }

  /** Gives each series its identity, remembering new ones by their `text` (the bytes their decoder keyed them by). */
  identify(series: SeriesSamples[]): (SeriesSamples & { identity: SeriesIdentity })[] {
    // Churned series leave entries behind: past the series limit, start again.
    if (this.entries.length > this.registry.maxSeries) this.clear();
    return series.map((s) => {
      if (s.text === undefined) return { ...s, identity: identify(s.name, s.labels) };
      const key = Buffer.from(s.text, "latin1");
      let e = this.find(viewOf(key), 0, key.length);
      if (e === undefined) this.add(key, (e = { name: s.name, labels: s.labels, identity: identify(s.name, s.labels) }));
      return { ...s, identity: e.identity };
    });
  }

  private find(buf: DataView, start: number, end: number): Entry | undefined {
    const h = hashBytes(buf, start, end);
    const mask = this.slots.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const at = this.slots[slot] - 1;
      if (at < 0) return undefined;
      if (this.hashes[at] === h && this.lengths[at] === end - start && sameBytes(this.view, this.offsets[at], buf, start, end - start)) return this.entries[at];
    }
  }

  private add(key: Uint8Array, entry: Entry): void {
    const at = this.entries.length;
    if (at === this.hashes.length) {
      this.hashes = grown(this.hashes, at * 2);
      this.offsets = grown(this.offsets, at * 2);
      this.lengths = grown(this.lengths, at * 2);
    }
    if (this.used + key.length > this.bytes.length) {
      const bigger = new Uint8Array(Math.max(this.bytes.length * 2, this.used + key.length));
      bigger.set(this.bytes.subarray(0, this.used));
      this.bytes = bigger;
      this.view = viewOf(bigger);
    }
    this.bytes.set(key, this.used);
    this.entries.push(entry);
    this.hashes[at] = hashBytes(this.view, this.used, this.used + key.length);
    this.offsets[at] = this.used;
    this.lengths[at] = key.length;
    this.used += key.length;
    if (this.entries.length * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(at);
  }

  private place(at: number): void {
    const mask = this.slots.length - 1;
    let slot = this.hashes[at] & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = at + 1;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    for (let at = 0; at < this.entries.length; at++) this.place(at);
  }

  private clear(): void {
    this.entries = [];
    this.used = 0;
    this.slots.fill(0);
  }
}

function grown(a: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(size);
  bigger.set(a);
  return bigger;
}
