-- AlterTable
ALTER TABLE "rollups" ADD COLUMN     "critical_ms" DOUBLE PRECISION NOT NULL DEFAULT 0,
ADD COLUMN     "self_ms" DOUBLE PRECISION NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "pending_traces" (
    "trace_key" BIGINT NOT NULL,
    "trace_id" TEXT NOT NULL,
    "first_minute" INTEGER NOT NULL,
    "last_minute" INTEGER NOT NULL,
    "last_received_ms" DOUBLE PRECISION NOT NULL,
    "done" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "pending_traces_pkey" PRIMARY KEY ("trace_key","trace_id")
);

-- CreateIndex
CREATE INDEX "pending_traces_done_last_received_ms_idx" ON "pending_traces"("done", "last_received_ms");

