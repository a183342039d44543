-- CreateTable
CREATE TABLE "pending_traces" (
    "trace_key" BIGINT NOT NULL,
    "trace_id" TEXT NOT NULL,
    "first_minute" INTEGER NOT NULL,
    "last_minute" INTEGER NOT NULL,
    "last_received_ms" REAL NOT NULL,
    "done" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("trace_key", "trace_id")
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_rollups" (
    "minute" INTEGER NOT NULL,
    "service" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "kind" INTEGER NOT NULL,
    "entry" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,
    "errors" INTEGER NOT NULL,
    "sum_ms" REAL NOT NULL,
    "critical_ms" REAL NOT NULL DEFAULT 0,
    "self_ms" REAL NOT NULL DEFAULT 0,

    PRIMARY KEY ("minute", "service", "operation", "kind", "entry")
);
INSERT INTO "new_rollups" ("count", "entry", "errors", "kind", "minute", "operation", "service", "sum_ms") SELECT "count", "entry", "errors", "kind", "minute", "operation", "service", "sum_ms" FROM "rollups";
DROP TABLE "rollups";
ALTER TABLE "new_rollups" RENAME TO "rollups";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "pending_traces_done_last_received_ms_idx" ON "pending_traces"("done", "last_received_ms");

