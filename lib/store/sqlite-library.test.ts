import { createRequire } from "node:module";
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";

describe("the SQLite library", () => {
  // The collector writes through better-sqlite3 on its write thread while Prisma's adapter writes
  // on the main thread. Two copies of SQLite in one process do not see each other's locks (POSIX
  // locks are per process) and corrupt the database; package.json's overrides keep one copy.
  it("is one copy, shared by the store and Prisma's adapter", () => {
    const project = createRequire(__filename).resolve("better-sqlite3");
    const adapter = createRequire(createRequire(__filename).resolve("@prisma/adapter-better-sqlite3"));
    expect(adapter.resolve("better-sqlite3")).toBe(project);
    expect(dirname(project)).toContain("node_modules/better-sqlite3");
  });
});
