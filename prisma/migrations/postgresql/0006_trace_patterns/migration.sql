-- AlterTable
ALTER TABLE "rollups" ADD COLUMN     "n_plus_one_calls" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "n_plus_one_ms" DOUBLE PRECISION NOT NULL DEFAULT 0,
ADD COLUMN     "n_plus_one_traces" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "sequential_saving_ms" DOUBLE PRECISION NOT NULL DEFAULT 0,
ADD COLUMN     "sequential_traces" INTEGER NOT NULL DEFAULT 0;

