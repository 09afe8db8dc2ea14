-- Durable Orleans reminders (a listing's expiry, later follow-ups and event reminders), read and written by
-- TechMarket.Market's MarketReminderTable, the same table as on SQLite. "Version" is the row's ETag;
-- "GrainHash" (an unsigned 32-bit ring position) places the row on the cluster's ring so that exactly one silo
-- owns (and fires) each reminder.

CREATE TABLE "Reminders" (
    "ServiceId" character varying(150) NOT NULL,
    "GrainId" character varying(300) NOT NULL,
    "Name" character varying(150) NOT NULL,
    "StartAt" timestamp with time zone NOT NULL,
    "PeriodMs" bigint NOT NULL,
    "GrainHash" bigint NOT NULL,
    "Version" bigint NOT NULL,
    CONSTRAINT "PK_Reminders" PRIMARY KEY ("ServiceId", "GrainId", "Name")
);

CREATE INDEX "IX_Reminders_ServiceId_GrainHash" ON "Reminders" ("ServiceId", "GrainHash");
