import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PostgresClient } from "./generated/postgresql/client";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client";
import { type StoreTarget, storeTarget } from "./database-url";

/** Both generated clients have the same models; code is written against one of their types. */
export type Prisma = SqliteClient;

const globalForPrisma = globalThis as unknown as { pinchpointPrisma?: Prisma };

/** A Prisma client for one store (tests open their own; the app uses `prisma()`). */
export function openPrisma(target: StoreTarget): Prisma {
  return target.kind === "sqlite"
    ? new SqliteClient({ adapter: new PrismaBetterSQLite3({ url: target.url }) })
    : (new PostgresClient({ adapter: new PrismaPg({ connectionString: target.url }) }) as unknown as Prisma);
}

/** One Prisma client per process, for the database DATABASE_URL names. */
export function prisma(): Prisma {
  globalForPrisma.pinchpointPrisma ??= openPrisma(storeTarget());
  return globalForPrisma.pinchpointPrisma;
}
