-- CreateTable
CREATE TABLE "slos" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "operation" TEXT,
    "sli" TEXT NOT NULL,
    "threshold_ms" REAL,
    "target" REAL NOT NULL,
    "window_days" INTEGER NOT NULL,
    "rules" TEXT NOT NULL,
    "min_events" INTEGER NOT NULL DEFAULT 100,
    "created_ms" REAL NOT NULL,
    "updated_ms" REAL NOT NULL
);

-- CreateTable
CREATE TABLE "alert_channels" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT,
    "created_ms" REAL NOT NULL
);

-- CreateTable
CREATE TABLE "alerts" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slo_id" TEXT NOT NULL,
    "slo_name" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "pending_since_ms" REAL NOT NULL,
    "started_ms" REAL,
    "resolved_ms" REAL,
    "last_evaluation" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "alert_deliveries" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "alert_id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_ms" REAL NOT NULL,
    "last_error" TEXT,
    "created_ms" REAL NOT NULL,
    "delivered_ms" REAL
);

-- CreateTable
CREATE TABLE "delivery_attempts" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "delivery_id" TEXT NOT NULL,
    "at_ms" REAL NOT NULL,
    "status_code" INTEGER,
    "error" TEXT,
    "duration_ms" REAL NOT NULL
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

