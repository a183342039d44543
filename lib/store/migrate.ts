import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Sql } from "./sql";

/**
 * Applies pending migrations from prisma/migrations/<provider>/ in name order, each in its own
 * transaction, recording name and checksum. Prisma's own `migrate deploy` cannot run offline on
 * PostgreSQL here (see shared/STACK.md), so this does the same job for both databases.
 */
export interface Migration { name: string; sql: string; checksum: string }

export function readMigrations(provider: "sqlite" | "postgresql", root = join(process.cwd(), "prisma/migrations")): Migration[] {
  const dir = join(root, provider);
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

const LEDGER = "_pinchpoint_migrations";
/** Any constant: replicas starting together queue on this lock instead of racing. */
const PG_MIGRATION_LOCK = 7_301_977;

export async function migrate(db: Sql, migrations = readMigrations(db.kind)): Promise<string[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS ${LEDGER} (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_ms DOUBLE PRECISION NOT NULL)`);
  const applied: string[] = [];
  for (const m of migrations) {
    await db.transaction(async (tx) => {
      if (db.kind === "postgresql") await tx.query(`SELECT pg_advisory_xact_lock(${PG_MIGRATION_LOCK})`);
      const [recorded] = await tx.query<{ checksum: string }>(`SELECT checksum FROM ${LEDGER} WHERE name = ?`, [m.name]);
      if (recorded) {
        if (recorded.checksum !== m.checksum) throw new Error(`migration ${m.name} was changed after it was applied (checksum differs)`);
        return;
      }
      await tx.exec(m.sql);
      await tx.run(`INSERT INTO ${LEDGER} (name, checksum, applied_ms) VALUES (?, ?, ?)`, [m.name, m.checksum, Date.now()]);
      applied.push(m.name);
    });
  }
  return applied;
}
