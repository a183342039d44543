-- DropIndex
DROP INDEX "spans_start_ms_idx";

