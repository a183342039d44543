-- CreateTable
CREATE TABLE "metric_shapes" (
    "id" BIGINT NOT NULL PRIMARY KEY,
    "series_keys" BLOB NOT NULL,
    "first_seen_ms" REAL NOT NULL
);

-- CreateTable
CREATE TABLE "metric_shape_series" (
    "series_key" BIGINT NOT NULL,
    "shape_id" BIGINT NOT NULL,
    "position" INTEGER NOT NULL,

    PRIMARY KEY ("series_key", "shape_id")
) WITHOUT ROWID; -- hand-edited: the key is the table

-- CreateTable
CREATE TABLE "metric_blocks" (
    "shape_id" BIGINT NOT NULL,
    "ts" REAL NOT NULL,
    "minute" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,
    "sample_values" BLOB NOT NULL,

    PRIMARY KEY ("shape_id", "ts")
);

-- CreateIndex
CREATE INDEX "metric_blocks_minute_shape_id_idx" ON "metric_blocks"("minute", "shape_id");

