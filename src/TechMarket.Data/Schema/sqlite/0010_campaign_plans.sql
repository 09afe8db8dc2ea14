-- 百日百场 campaign planning: organisations' interest in a campaign (意向报名) and the plan that assigns them to the
-- campaign's events by affinity, capacity and dates.

ALTER TABLE "Campaigns" ADD COLUMN "PlannedAt" TEXT NULL;
ALTER TABLE "Campaigns" ADD COLUMN "PlanSummary" TEXT NOT NULL DEFAULT '';

CREATE TABLE "CampaignInterests" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_CampaignInterests" PRIMARY KEY AUTOINCREMENT,
    "CampaignId" INTEGER NOT NULL,
    "OrganisationId" INTEGER NOT NULL,
    "UserId" INTEGER NOT NULL,
    "Status" INTEGER NOT NULL,
    "Fields" TEXT NOT NULL,
    "AvailableDates" TEXT NOT NULL,
    "MaxEvents" INTEGER NOT NULL,
    "Offers" TEXT NOT NULL,
    "Seeks" TEXT NOT NULL,
    "ListingIds" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    "Version" INTEGER NOT NULL,
    "IsDemo" INTEGER NOT NULL,
    CONSTRAINT "FK_CampaignInterests_Campaigns_CampaignId" FOREIGN KEY ("CampaignId") REFERENCES "Campaigns" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_CampaignInterests_Organisations_OrganisationId" FOREIGN KEY ("OrganisationId") REFERENCES "Organisations" ("Id") ON DELETE RESTRICT
);

CREATE UNIQUE INDEX "IX_CampaignInterests_CampaignId_OrganisationId" ON "CampaignInterests" ("CampaignId", "OrganisationId");
CREATE INDEX "IX_CampaignInterests_OrganisationId" ON "CampaignInterests" ("OrganisationId");

CREATE TABLE "CampaignAssignments" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_CampaignAssignments" PRIMARY KEY AUTOINCREMENT,
    "CampaignId" INTEGER NOT NULL,
    "InterestId" INTEGER NOT NULL,
    "EventId" INTEGER NOT NULL,
    "Score" REAL NOT NULL,
    "Reason" TEXT NOT NULL,
    "Status" INTEGER NOT NULL,
    "RegistrationId" INTEGER NULL,
    "Note" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    "Version" INTEGER NOT NULL,
    CONSTRAINT "FK_CampaignAssignments_Campaigns_CampaignId" FOREIGN KEY ("CampaignId") REFERENCES "Campaigns" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_CampaignAssignments_CampaignInterests_InterestId" FOREIGN KEY ("InterestId") REFERENCES "CampaignInterests" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_CampaignAssignments_Events_EventId" FOREIGN KEY ("EventId") REFERENCES "Events" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_CampaignAssignments_CampaignId_Status" ON "CampaignAssignments" ("CampaignId", "Status");
CREATE INDEX "IX_CampaignAssignments_InterestId" ON "CampaignAssignments" ("InterestId");
CREATE INDEX "IX_CampaignAssignments_EventId" ON "CampaignAssignments" ("EventId");
