-- CreateTable
CREATE TABLE "spans" (
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
    "resource" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "events" TEXT NOT NULL,
    "links" TEXT NOT NULL,
    "received_ms" REAL NOT NULL
);

-- CreateTable
CREATE TABLE "rollups" (
    "minute" INTEGER NOT NULL,
    "service" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "kind" INTEGER NOT NULL,
    "entry" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,
    "errors" INTEGER NOT NULL,
    "sum_ms" REAL NOT NULL,

    PRIMARY KEY ("minute", "service", "operation", "kind", "entry")
);

-- CreateTable
CREATE TABLE "rollup_buckets" (
    "minute" INTEGER NOT NULL,
    "service" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "kind" INTEGER NOT NULL,
    "entry" INTEGER NOT NULL,
    "bucket" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("minute", "service", "operation", "kind", "entry", "bucket")
);

-- CreateTable
CREATE TABLE "job_leases" (
    "job" TEXT NOT NULL PRIMARY KEY,
    "holder" TEXT NOT NULL,
    "expires_ms" REAL NOT NULL
);

-- CreateIndex
CREATE INDEX "spans_start_ms_idx" ON "spans"("start_ms");

-- CreateIndex
CREATE UNIQUE INDEX "spans_minute_trace_key_span_key_key" ON "spans"("minute", "trace_key", "span_key");

