-- Brokers' workspace: who follows a match up since when, the state before the broker's last move (for undo), the
-- needs a broker mined on an enterprise's behalf with its consent, and brokers' tasks (回访 and need mining).

ALTER TABLE "Matches" ADD COLUMN "BrokerSince" TEXT NULL;
ALTER TABLE "Matches" ADD COLUMN "PreviousState" INTEGER NULL;
CREATE INDEX "IX_Matches_BrokerUserId" ON "Matches" ("BrokerUserId");

ALTER TABLE "Listings" ADD COLUMN "MinedByUserId" INTEGER NULL;
ALTER TABLE "Listings" ADD COLUMN "MiningConsentAt" TEXT NULL;
CREATE INDEX "IX_Listings_MinedByUserId" ON "Listings" ("MinedByUserId");

-- The figures read supply and demand by field, and published achievements by month, district and field, from this
-- index alone.
CREATE INDEX "IX_Listings_Kind_Status_Field_PublishedAt_OrganisationId" ON "Listings" ("Kind", "Status", "Field", "PublishedAt", "OrganisationId");

CREATE TABLE "BrokerTasks" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_BrokerTasks" PRIMARY KEY AUTOINCREMENT,
    "BrokerUserId" INTEGER NOT NULL,
    "Kind" INTEGER NOT NULL,
    "MatchId" INTEGER NULL,
    "Field" TEXT NOT NULL,
    "Note" TEXT NOT NULL,
    "DueAt" TEXT NOT NULL,
    "Status" INTEGER NOT NULL,
    "Outcome" TEXT NOT NULL,
    "DoneAt" TEXT NULL,
    "RemindedAt" TEXT NULL,
    "CreatedAt" TEXT NOT NULL,
    "Version" INTEGER NOT NULL,
    "IsDemo" INTEGER NOT NULL
);

CREATE INDEX "IX_BrokerTasks_BrokerUserId_Status_DueAt" ON "BrokerTasks" ("BrokerUserId", "Status", "DueAt");
CREATE INDEX "IX_BrokerTasks_MatchId" ON "BrokerTasks" ("MatchId");
