-- Edited by hand after prisma migrate diff: spans stored before this migration keep their rows
-- and point at resource 0, an empty attribute set (their resource text is not carried over).
-- CreateTable
CREATE TABLE "resources" (
    "key" BIGINT NOT NULL PRIMARY KEY,
    "attributes" TEXT NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_spans" (
    "minute" INTEGER NOT NULL,
    "trace_key" BIGINT NOT NULL,
    "span_key" BIGINT NOT NULL,
    "trace_id" TEXT NOT NULL,
    "span_id" TEXT NOT NULL,
    "parent_span_id" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" INTEGER NOT NULL,
    "start_ms" REAL NOT NULL,
    "duration_ms" REAL NOT NULL,
    "status_code" INTEGER NOT NULL,
    "status_message" TEXT NOT NULL,
    "attributes" TEXT NOT NULL,
    "resource_key" BIGINT NOT NULL,
    "scope" TEXT NOT NULL,
    "events" TEXT NOT NULL,
    "links" TEXT NOT NULL,
    "received_ms" REAL NOT NULL
);
INSERT INTO "new_spans" ("resource_key", "attributes", "duration_ms", "events", "kind", "links", "minute", "name", "parent_span_id", "received_ms", "scope", "service", "span_id", "span_key", "start_ms", "status_code", "status_message", "trace_id", "trace_key") SELECT 0, "attributes", "duration_ms", "events", "kind", "links", "minute", "name", "parent_span_id", "received_ms", "scope", "service", "span_id", "span_key", "start_ms", "status_code", "status_message", "trace_id", "trace_key" FROM "spans";
DROP TABLE "spans";
ALTER TABLE "new_spans" RENAME TO "spans";
CREATE UNIQUE INDEX "spans_minute_trace_key_span_key_key" ON "spans"("minute", "trace_key", "span_key");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;


INSERT INTO "resources" ("key", "attributes") VALUES (0, '{}');
