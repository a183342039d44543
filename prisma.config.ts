// Prisma CLI settings. Prisma runs its schema engine as WebAssembly through a driver adapter,
// so `prisma generate` and `prisma migrate diff` work without downloading engine binaries.
// Migrations are applied at start-up by lib/store/migrate.ts, not by the CLI.
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  async adapter() {
    return new PrismaBetterSQLite3({ url: ":memory:" });
  },
});
