-- Alerts (packages/engine/src/alerts/): rules per project, their notifications (deliveries) with each one's
-- attempts, and the evaluator's position in the event log (a row per consumer of the log).

-- CreateEnum
CREATE TYPE "AlertDeliveryState" AS ENUM ('COLLECTING', 'SENDING', 'DELIVERED', 'FAILED');

-- CreateTable
CREATE TABLE "alert_rule" (
    "id" BIGSERIAL NOT NULL,
    "project" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "target" TEXT,
    "condition" JSONB NOT NULL DEFAULT '{}',
    "channel" JSONB NOT NULL,
    "secrets" JSONB NOT NULL DEFAULT '{}',
    "collapse_window_ms" INTEGER NOT NULL DEFAULT 300000,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "open_delivery_id" BIGINT,
    "threshold_state" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "created_by" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_by" TEXT NOT NULL,

    CONSTRAINT "alert_rule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_delivery" (
    "id" BIGSERIAL NOT NULL,
    "rule_id" BIGINT NOT NULL,
    "project" TEXT NOT NULL,
    "test" BOOLEAN NOT NULL DEFAULT false,
    "state" "AlertDeliveryState" NOT NULL,
    "count" INTEGER NOT NULL,
    "first_fired_at" TIMESTAMPTZ(3),
    "last_fired_at" TIMESTAMPTZ(3),
    "send_at" TIMESTAMPTZ(3) NOT NULL,
    "sample" JSONB NOT NULL DEFAULT '[]',
    "channel_kind" TEXT,
    "payload" JSONB,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "max_attempts" INTEGER NOT NULL,
    "next_attempt_at" TIMESTAMPTZ(3),
    "last_status" INTEGER,
    "last_error" TEXT,
    "attempt_log" JSONB NOT NULL DEFAULT '[]',
    "delivered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "alert_delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "event_consumer" (
    "consumer" TEXT NOT NULL,
    "cursor" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "event_consumer_pkey" PRIMARY KEY ("consumer")
);

-- CreateIndex
CREATE INDEX "alert_rule_project_id_idx" ON "alert_rule"("project", "id");

-- CreateIndex
CREATE INDEX "alert_rule_kind_enabled_idx" ON "alert_rule"("kind", "enabled");

-- CreateIndex
CREATE INDEX "alert_delivery_rule_id_id_idx" ON "alert_delivery"("rule_id", "id");

-- AddForeignKey
ALTER TABLE "alert_delivery" ADD CONSTRAINT "alert_delivery_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "alert_rule"("id") ON DELETE CASCADE ON UPDATE CASCADE;
