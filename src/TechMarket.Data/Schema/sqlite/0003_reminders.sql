-- Durable Orleans reminders (a listing's expiry, later follow-ups and event reminders), read and written by
-- TechMarket.Market's MarketReminderTable. Orleans ships no SQLite reminder table; the same table on PostgreSQL
-- lets one implementation serve both providers. "Version" is the row's ETag; "GrainHash" places the row on the
-- cluster's ring so that exactly one silo owns (and fires) each reminder.

CREATE TABLE "Reminders" (
    "ServiceId" TEXT NOT NULL,
    "GrainId" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "StartAt" TEXT NOT NULL,
    "PeriodMs" INTEGER NOT NULL,
    "GrainHash" INTEGER NOT NULL,
    "Version" INTEGER NOT NULL,
    CONSTRAINT "PK_Reminders" PRIMARY KEY ("ServiceId", "GrainId", "Name")
);

CREATE INDEX "IX_Reminders_ServiceId_GrainHash" ON "Reminders" ("ServiceId", "GrainHash");
