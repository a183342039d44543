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
    "trace_ms" REAL NOT NULL DEFAULT 0,
    "n_plus_one_traces" INTEGER NOT NULL DEFAULT 0,
    "n_plus_one_calls" INTEGER NOT NULL DEFAULT 0,
    "n_plus_one_ms" REAL NOT NULL DEFAULT 0,
    "sequential_traces" INTEGER NOT NULL DEFAULT 0,
    "sequential_saving_ms" REAL NOT NULL DEFAULT 0,

    PRIMARY KEY ("minute", "service", "operation", "kind", "entry")
);
INSERT INTO "new_rollups" ("count", "critical_ms", "entry", "errors", "kind", "minute", "operation", "self_ms", "service", "sum_ms", "trace_ms") SELECT "count", "critical_ms", "entry", "errors", "kind", "minute", "operation", "self_ms", "service", "sum_ms", "trace_ms" FROM "rollups";
DROP TABLE "rollups";
ALTER TABLE "new_rollups" RENAME TO "rollups";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

