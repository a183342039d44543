import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";

export const DEFAULT_DATABASE_URL = "file:./data/pinchpoint.db";

export type StoreTarget =
  | { kind: "sqlite"; url: string; path: string }
  | { kind: "postgresql"; url: string };

/** Where the store lives: a SQLite file by default, PostgreSQL for a postgres(ql):// URL. */
export function storeTarget(url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL): StoreTarget {
  if (/^postgres(ql)?:\/\//.test(url)) return { kind: "postgresql", url };
  if (url.startsWith("file:")) {
    const path = resolve(url.slice("file:".length).split("?")[0]);
    mkdirSync(dirname(path), { recursive: true });
    return { kind: "sqlite", url: `file:${path}`, path };
  }
  throw new Error(`DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL), got "${url}"`);
}
