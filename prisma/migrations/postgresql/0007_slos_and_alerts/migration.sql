-- CreateTable
CREATE TABLE "slos" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "operation" TEXT,
    "sli" TEXT NOT NULL,
    "threshold_ms" DOUBLE PRECISION,
    "target" DOUBLE PRECISION NOT NULL,
    "window_days" INTEGER NOT NULL,
    "rules" TEXT NOT NULL,
    "min_events" INTEGER NOT NULL DEFAULT 100,
    "created_ms" DOUBLE PRECISION NOT NULL,
    "updated_ms" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "slos_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_channels" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT,
    "created_ms" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "alert_channels_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alerts" (
    "id" TEXT NOT NULL,
    "slo_id" TEXT NOT NULL,
    "slo_name" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "pending_since_ms" DOUBLE PRECISION NOT NULL,
    "started_ms" DOUBLE PRECISION,
    "resolved_ms" DOUBLE PRECISION,
    "last_evaluation" TEXT NOT NULL,

    CONSTRAINT "alerts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_deliveries" (
    "id" TEXT NOT NULL,
    "alert_id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_ms" DOUBLE PRECISION NOT NULL,
    "last_error" TEXT,
    "created_ms" DOUBLE PRECISION NOT NULL,
    "delivered_ms" DOUBLE PRECISION,

    CONSTRAINT "alert_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "delivery_attempts" (
    "id" SERIAL NOT NULL,
    "delivery_id" TEXT NOT NULL,
    "at_ms" DOUBLE PRECISION NOT NULL,
    "status_code" INTEGER,
    "error" TEXT,
    "duration_ms" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "delivery_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "slos_name_key" ON "slos"("name");

-- CreateIndex
CREATE INDEX "alerts_slo_id_state_idx" ON "alerts"("slo_id", "state");

-- CreateIndex
CREATE INDEX "alerts_pending_since_ms_idx" ON "alerts"("pending_since_ms");

-- CreateIndex
CREATE INDEX "alert_deliveries_status_next_attempt_ms_idx" ON "alert_deliveries"("status", "next_attempt_ms");

-- CreateIndex
CREATE INDEX "alert_deliveries_alert_id_idx" ON "alert_deliveries"("alert_id");

-- CreateIndex
CREATE INDEX "delivery_attempts_delivery_id_idx" ON "delivery_attempts"("delivery_id");

