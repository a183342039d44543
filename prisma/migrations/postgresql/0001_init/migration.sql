-- CreateTable
CREATE TABLE "spans" (
    "trace_id" TEXT NOT NULL,
    "span_id" TEXT NOT NULL,
    "parent_span_id" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" INTEGER NOT NULL,
    "start_ms" DOUBLE PRECISION NOT NULL,
    "duration_ms" DOUBLE PRECISION NOT NULL,
    "status_code" INTEGER NOT NULL,
    "status_message" TEXT NOT NULL,
    "attributes" TEXT NOT NULL,
    "resource" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "events" TEXT NOT NULL,
    "links" TEXT NOT NULL,
    "received_ms" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "spans_pkey" PRIMARY KEY ("trace_id","span_id")
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
    "sum_ms" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "rollups_pkey" PRIMARY KEY ("minute","service","operation","kind","entry")
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

    CONSTRAINT "rollup_buckets_pkey" PRIMARY KEY ("minute","service","operation","kind","entry","bucket")
);

-- CreateTable
CREATE TABLE "job_leases" (
    "job" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "expires_ms" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "job_leases_pkey" PRIMARY KEY ("job")
);

-- CreateIndex
CREATE INDEX "spans_start_ms_idx" ON "spans"("start_ms");

