#!/usr/bin/env node
// Keeps the two Prisma schemas and their migrations in step.
//   node scripts/prisma-schemas.mjs derive            write prisma/postgresql/schema.prisma from prisma/schema.prisma
//   node scripts/prisma-schemas.mjs check             exit 1 when the derived schema has drifted
//   node scripts/prisma-schemas.mjs migration NAME    write migrations for both providers: the SQL that takes
//                                                     the last committed schema (git HEAD) to the current one
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SQLITE_SCHEMA = "prisma/schema.prisma";
const PG_SCHEMA = "prisma/postgresql/schema.prisma";
const PROVIDERS = { sqlite: SQLITE_SCHEMA, postgresql: PG_SCHEMA };

export function derivePostgresSchema(sqliteSchema) {
  return sqliteSchema
    .replace(/^\/\/ The models, written once.*\n\/\/ by scripts.*\n/m,
      "// GENERATED from prisma/schema.prisma by scripts/prisma-schemas.mjs derive: do not edit.\n")
    .replace('output     = "../lib/store/generated/sqlite"', 'output     = "../../lib/store/generated/postgresql"')
    .replace('provider = "sqlite"', 'provider = "postgresql"');
}

function prisma(args) {
  return execFileSync("node_modules/.bin/prisma", args, {
    encoding: "utf8",
    env: { ...process.env, PRISMA_QUERY_ENGINE_LIBRARY: "/bin/false", PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false",
      DATABASE_URL: process.env.DATABASE_URL ?? "file:./data/unused.db", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    stdio: ["ignore", "pipe", "inherit"],
  });
}

function writeMigration(name) {
  const tmp = mkdtempSync(join(tmpdir(), "pp-schema-"));
  const existing = readdirSync("prisma/migrations/sqlite", { withFileTypes: true }).filter((d) => d.isDirectory()).length;
  // The first migration starts from an empty database; later ones from the last committed schema.
  const previous = existing === 0 ? "" :
    execFileSync("git", ["show", `HEAD:${SQLITE_SCHEMA}`], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  const from = { sqlite: previous, postgresql: previous && derivePostgresSchema(previous) };
  const folder = `${String(existing + 1).padStart(4, "0")}_${name}`;
  for (const [provider, schema] of Object.entries(PROVIDERS)) {
    const args = ["migrate", "diff", "--script", "--to-schema-datamodel", schema];
    if (from[provider]) {
      const old = join(tmp, `${provider}.prisma`);
      writeFileSync(old, from[provider]);
      args.push("--from-schema-datamodel", old);
    } else args.push("--from-empty");
    const sql = prisma(args).replace(/^Loaded Prisma config.*\n/m, "");
    mkdirSync(`prisma/migrations/${provider}/${folder}`, { recursive: true });
    writeFileSync(`prisma/migrations/${provider}/${folder}/migration.sql`, sql);
  }
  console.log(`wrote prisma/migrations/{sqlite,postgresql}/${folder}/migration.sql`);
}

const [cmd, arg] = process.argv.slice(2);
const derived = derivePostgresSchema(readFileSync(SQLITE_SCHEMA, "utf8"));
if (cmd === "derive") writeFileSync(PG_SCHEMA, derived);
else if (cmd === "check") {
  if (readFileSync(PG_SCHEMA, "utf8") !== derived) {
    console.error(`${PG_SCHEMA} has drifted from ${SQLITE_SCHEMA}: run node scripts/prisma-schemas.mjs derive`);
    process.exit(1);
  }
} else if (cmd === "migration" && arg) {
  writeFileSync(PG_SCHEMA, derived);
  writeMigration(arg);
} else {
  console.error("usage: prisma-schemas.mjs derive | check | migration NAME");
  process.exit(2);
}
