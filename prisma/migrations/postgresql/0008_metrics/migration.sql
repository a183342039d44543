-- CreateTable
CREATE TABLE "metric_series" (
    "key" BIGINT NOT NULL,
    "name" TEXT NOT NULL,
    "labels" TEXT NOT NULL,
    "job" TEXT NOT NULL DEFAULT '',
    "instance" TEXT NOT NULL DEFAULT '',
    "type" TEXT NOT NULL DEFAULT 'unknown',
    "first_seen_ms" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "metric_series_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "metric_samples" (
    "minute" INTEGER NOT NULL,
    "series_key" BIGINT NOT NULL,
    "ts" DOUBLE PRECISION NOT NULL,
    "value" DOUBLE PRECISION,

    CONSTRAINT "metric_samples_pkey" PRIMARY KEY ("minute","series_key","ts")
);

-- CreateTable
CREATE TABLE "metric_rollups" (
    "minute" INTEGER NOT NULL,
    "series_key" BIGINT NOT NULL,
    "count" INTEGER NOT NULL,
    "sum" DOUBLE PRECISION,
    "min" DOUBLE PRECISION,
    "max" DOUBLE PRECISION,
    "first" DOUBLE PRECISION,
    "first_ts" DOUBLE PRECISION NOT NULL,
    "last" DOUBLE PRECISION,
    "last_ts" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "metric_rollups_pkey" PRIMARY KEY ("minute","series_key")
);

-- CreateTable
CREATE TABLE "metric_dirty_minutes" (
    "minute" INTEGER NOT NULL,
    "touched_ms" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "metric_dirty_minutes_pkey" PRIMARY KEY ("minute")
);

-- CreateTable
CREATE TABLE "scrape_targets" (
    "id" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "job" TEXT NOT NULL,
    "interval_seconds" INTEGER NOT NULL,
    "labels" TEXT NOT NULL DEFAULT '{}',
    "created_ms" DOUBLE PRECISION NOT NULL,
    "last_scrape_ms" DOUBLE PRECISION,
    "last_duration_ms" DOUBLE PRECISION,
    "last_samples" INTEGER,
    "last_error" TEXT,

    CONSTRAINT "scrape_targets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "resource_mappings" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "services" TEXT NOT NULL,
    "usage_metric" TEXT NOT NULL,
    "usage_labels" TEXT NOT NULL DEFAULT '{}',
    "capacity_metric" TEXT,
    "capacity_labels" TEXT NOT NULL DEFAULT '{}',
    "capacity_constant" DOUBLE PRECISION,
    "created_ms" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "resource_mappings_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "metric_series_name_idx" ON "metric_series"("name");

-- CreateIndex
CREATE INDEX "metric_rollups_series_key_minute_idx" ON "metric_rollups"("series_key", "minute");

-- CreateIndex
CREATE UNIQUE INDEX "scrape_targets_job_url_key" ON "scrape_targets"("job", "url");

-- CreateIndex
CREATE UNIQUE INDEX "resource_mappings_name_key" ON "resource_mappings"("name");

