import Database from "better-sqlite3";
import pg from "pg";
import type { StoreTarget } from "./database-url";

/**
 * A thin async face over the two drivers, for the few places that bypass Prisma: migrations,
 * bulk ingest writes and housekeeping. Statements use `?` placeholders on both databases.
 * Top-level calls are serialised so that a transaction never interleaves with another caller.
 */
export interface SqlExecutor {
  exec(sql: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  run(sql: string, params?: unknown[]): Promise<number>;
}

export interface Sql extends SqlExecutor {
  readonly kind: "sqlite" | "postgresql";
  /** BEGIN (IMMEDIATE on SQLite, so concurrent writers queue up) … COMMIT, or ROLLBACK on error. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface SqliteSql extends Sql { readonly kind: "sqlite"; readonly db: Database.Database; readonly path: string }
export interface PostgresSql extends Sql { readonly kind: "postgresql" }

function serialiser() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const next = tail.then(fn, fn);
    tail = next.catch(() => undefined);
    return next;
  };
}

function withLock(kind: Sql["kind"], base: SqlExecutor, begin: string, close: () => Promise<void>): Sql {
  const lock = serialiser();
  return {
    kind,
    exec: (sql) => lock(() => base.exec(sql)),
    query: (sql, params) => lock(() => base.query(sql, params)),
    run: (sql, params) => lock(() => base.run(sql, params)),
    transaction: (fn) =>
      lock(async () => {
        await base.exec(begin);
        try {
          const result = await fn(base);
          await base.exec("COMMIT");
          return result;
        } catch (err) {
          await base.exec("ROLLBACK");
          throw err;
        }
      }),
    close: () => lock(close),
  };
}

/** `cacheMiB`: page cache of this connection; the ingest writer wants a large one, readers do not. */
export function openSqlite(path: string, cacheMiB = 8): SqliteSql {
  const db = new Database(path);
  // For a new file only (an existing one keeps its size): metric samples land all over each
  // minute's range of the samples table, and 16 KiB pages took 18 % less time per inserted row
  // than the default 4 KiB in a measurement of that pattern.
  db.pragma("page_size = 16384");
  // WAL lets the web process read while the collector writes; NORMAL sync is durable across
  // a process crash (not an OS crash), the usual trade for ingest at this rate.
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 10000");
  db.pragma(`cache_size = -${cacheMiB * 1024}`);
  // Prepared once per statement text: trace completion runs the same few queries thousands of times.
  const statements = new Map<string, Database.Statement>();
  const prepared = (sql: string) => {
    let st = statements.get(sql);
    if (!st) {
      if (statements.size >= 500) statements.clear();
      statements.set(sql, (st = db.prepare(sql)));
    }
    return st;
  };
  const base: SqlExecutor = {
    async exec(sql) { db.exec(sql); },
    async query<T>(sql: string, params: unknown[] = []) { return prepared(sql).all(...params) as T[]; },
    async run(sql, params = []) { return prepared(sql).run(...params).changes; },
  };
  return { ...withLock("sqlite", base, "BEGIN IMMEDIATE", async () => { db.close(); }), kind: "sqlite", db, path };
}

function toPgPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

export async function openPostgres(url: string): Promise<PostgresSql> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // A broken connection must not crash the process; the next statement reports the error.
  client.on("error", (err) => console.error(`postgresql connection error: ${err.message}`));
  const base: SqlExecutor = {
    async exec(sql) { await client.query(sql); },
    async query<T>(sql: string, params: unknown[] = []) { return (await client.query(toPgPlaceholders(sql), params)).rows as T[]; },
    async run(sql, params = []) { return (await client.query(toPgPlaceholders(sql), params)).rowCount ?? 0; },
  };
  return { ...withLock("postgresql", base, "BEGIN", () => client.end()), kind: "postgresql" };
}

export async function openSql(target: StoreTarget): Promise<SqliteSql | PostgresSql> {
  return target.kind === "sqlite" ? openSqlite(target.path) : openPostgres(target.url);
}
