-- CreateTable
CREATE TABLE "metric_series" (
    "key" BIGINT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "labels" TEXT NOT NULL,
    "job" TEXT NOT NULL DEFAULT '',
    "instance" TEXT NOT NULL DEFAULT '',
    "type" TEXT NOT NULL DEFAULT 'unknown',
    "first_seen_ms" REAL NOT NULL
);

-- CreateTable
CREATE TABLE "metric_samples" (
    "minute" INTEGER NOT NULL,
    "series_key" BIGINT NOT NULL,
    "ts" REAL NOT NULL,
    "value" REAL,

    PRIMARY KEY ("minute", "series_key", "ts")
) WITHOUT ROWID; -- hand-edited: the key is the table, one B-tree per insert instead of two

-- CreateTable
CREATE TABLE "metric_rollups" (
    "minute" INTEGER NOT NULL,
    "series_key" BIGINT NOT NULL,
    "count" INTEGER NOT NULL,
    "sum" REAL,
    "min" REAL,
    "max" REAL,
    "first" REAL,
    "first_ts" REAL NOT NULL,
    "last" REAL,
    "last_ts" REAL NOT NULL,

    PRIMARY KEY ("minute", "series_key")
);

-- CreateTable
CREATE TABLE "metric_dirty_minutes" (
    "minute" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "touched_ms" REAL NOT NULL
);

-- CreateTable
CREATE TABLE "scrape_targets" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "url" TEXT NOT NULL,
    "job" TEXT NOT NULL,
    "interval_seconds" INTEGER NOT NULL,
    "labels" TEXT NOT NULL DEFAULT '{}',
    "created_ms" REAL NOT NULL,
    "last_scrape_ms" REAL,
    "last_duration_ms" REAL,
    "last_samples" INTEGER,
    "last_error" TEXT
);

-- CreateTable
CREATE TABLE "resource_mappings" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "services" TEXT NOT NULL,
    "usage_metric" TEXT NOT NULL,
    "usage_labels" TEXT NOT NULL DEFAULT '{}',
    "capacity_metric" TEXT,
    "capacity_labels" TEXT NOT NULL DEFAULT '{}',
    "capacity_constant" REAL,
    "created_ms" REAL NOT NULL
);

-- CreateIndex
CREATE INDEX "metric_series_name_idx" ON "metric_series"("name");

-- CreateIndex
CREATE INDEX "metric_rollups_series_key_minute_idx" ON "metric_rollups"("series_key", "minute");

-- CreateIndex
CREATE UNIQUE INDEX "scrape_targets_job_url_key" ON "scrape_targets"("job", "url");

-- CreateIndex
CREATE UNIQUE INDEX "resource_mappings_name_key" ON "resource_mappings"("name");

