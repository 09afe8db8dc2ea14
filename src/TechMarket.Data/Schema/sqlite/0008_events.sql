-- 百日百场: campaigns with their targets, events in the formats of domain.md, and organisations' registrations.

CREATE TABLE "Campaigns" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Campaigns" PRIMARY KEY AUTOINCREMENT,
    "Name" TEXT NOT NULL,
    "Year" INTEGER NOT NULL,
    "Description" TEXT NOT NULL,
    "TargetEvents" INTEGER NOT NULL,
    "TargetParticipants" INTEGER NOT NULL,
    "TargetMeetings" INTEGER NOT NULL,
    "TargetAgreements" INTEGER NOT NULL,
    "TargetDeals" INTEGER NOT NULL,
    "TargetAmountWan" TEXT NOT NULL,
    "CreatedById" INTEGER NULL,
    "CreatedAt" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    "Version" INTEGER NOT NULL,
    "IsDemo" INTEGER NOT NULL
);

CREATE TABLE "Events" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Events" PRIMARY KEY AUTOINCREMENT,
    "CampaignId" INTEGER NULL,
    "Format" INTEGER NOT NULL,
    "Status" INTEGER NOT NULL,
    "Title" TEXT NOT NULL,
    "Theme" TEXT NOT NULL,
    "Fields" TEXT NOT NULL,
    "StartsAt" TEXT NOT NULL,
    "Venue" TEXT NOT NULL,
    "District" TEXT NOT NULL,
    "Capacity" INTEGER NOT NULL,
    "Tables" INTEGER NOT NULL,
    "SlotMinutes" INTEGER NOT NULL,
    "SlotCount" INTEGER NOT NULL,
    "RegistrationDeadline" TEXT NOT NULL,
    "BookingOpensAt" TEXT NULL,
    "BookingClosesAt" TEXT NULL,
    "CreatedById" INTEGER NULL,
    "CreatedAt" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    "Version" INTEGER NOT NULL,
    "IsDemo" INTEGER NOT NULL,
    CONSTRAINT "FK_Events_Campaigns_CampaignId" FOREIGN KEY ("CampaignId") REFERENCES "Campaigns" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_Events_StartsAt" ON "Events" ("StartsAt");
CREATE INDEX "IX_Events_CampaignId" ON "Events" ("CampaignId");

CREATE TABLE "EventRegistrations" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_EventRegistrations" PRIMARY KEY AUTOINCREMENT,
    "EventId" INTEGER NOT NULL,
    "OrganisationId" INTEGER NOT NULL,
    "UserId" INTEGER NOT NULL,
    "Status" INTEGER NOT NULL,
    "Offers" TEXT NOT NULL,
    "Seeks" TEXT NOT NULL,
    "ListingIds" TEXT NOT NULL,
    "DecisionNote" TEXT NOT NULL,
    "DecidedAt" TEXT NULL,
    "CheckedInAt" TEXT NULL,
    "NoShow" INTEGER NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    "Version" INTEGER NOT NULL,
    CONSTRAINT "FK_EventRegistrations_Events_EventId" FOREIGN KEY ("EventId") REFERENCES "Events" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_EventRegistrations_Organisations_OrganisationId" FOREIGN KEY ("OrganisationId") REFERENCES "Organisations" ("Id") ON DELETE RESTRICT
);

CREATE UNIQUE INDEX "IX_EventRegistrations_EventId_OrganisationId" ON "EventRegistrations" ("EventId", "OrganisationId");
CREATE INDEX "IX_EventRegistrations_OrganisationId" ON "EventRegistrations" ("OrganisationId");
