// Applies pending migrations to the database DATABASE_URL names (scripts/start.mjs runs this first).
import { storeTarget } from "../lib/store/database-url";
import { migrate } from "../lib/store/migrate";
import { openSql } from "../lib/store/sql";

async function main() {
  const target = storeTarget();
  const sql = await openSql(target);
  try {
    const applied = await migrate(sql);
    console.log(applied.length ? `migrations applied to ${target.kind}: ${applied.join(", ")}` : `${target.kind} store is up to date`);
  } finally {
    await sql.close();
  }
}

main().catch((err) => {
  console.error(`migration failed: ${(err as Error).message}`);
  process.exit(1);
});
