-- CreateTable
CREATE TABLE "metric_shapes" (
    "id" BIGINT NOT NULL,
    "series_keys" BYTEA NOT NULL,
    "first_seen_ms" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "metric_shapes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "metric_shape_series" (
    "series_key" BIGINT NOT NULL,
    "shape_id" BIGINT NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "metric_shape_series_pkey" PRIMARY KEY ("series_key","shape_id")
);

-- CreateTable
CREATE TABLE "metric_blocks" (
    "shape_id" BIGINT NOT NULL,
    "ts" DOUBLE PRECISION NOT NULL,
    "minute" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,
    "sample_values" BYTEA NOT NULL,

    CONSTRAINT "metric_blocks_pkey" PRIMARY KEY ("shape_id","ts")
);

-- CreateIndex
CREATE INDEX "metric_blocks_minute_shape_id_idx" ON "metric_blocks"("minute", "shape_id");

