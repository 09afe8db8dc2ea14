-- Matching: a row per need × achievement pair (its state machine in TechMarket.Market's match grain), the in-app
-- inbox, and saved searches with alerts.

CREATE TABLE "Matches" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Matches" PRIMARY KEY AUTOINCREMENT,
    "NeedId" INTEGER NOT NULL,
    "AchievementId" INTEGER NOT NULL,
    "State" INTEGER NOT NULL,
    "ProposedBy" TEXT NOT NULL,
    "Score" REAL NOT NULL,
    "Reasons" TEXT NOT NULL,
    "NeedInterestAt" TEXT NULL,
    "NeedInterestUserId" INTEGER NULL,
    "NeedMessage" TEXT NOT NULL,
    "AchievementInterestAt" TEXT NULL,
    "AchievementInterestUserId" INTEGER NULL,
    "AchievementMessage" TEXT NOT NULL,
    "DeclineReason" INTEGER NOT NULL,
    "DeclineNote" TEXT NOT NULL,
    "DeclinedByOrganisationId" INTEGER NULL,
    "DeclinedAt" TEXT NULL,
    "BrokerUserId" INTEGER NULL,
    "CreatedAt" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    "Version" INTEGER NOT NULL,
    CONSTRAINT "FK_Matches_Need" FOREIGN KEY ("NeedId") REFERENCES "Listings" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_Matches_Achievement" FOREIGN KEY ("AchievementId") REFERENCES "Listings" ("Id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "IX_Matches_NeedId_AchievementId" ON "Matches" ("NeedId", "AchievementId");
CREATE INDEX "IX_Matches_AchievementId" ON "Matches" ("AchievementId");

CREATE TABLE "Notifications" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Notifications" PRIMARY KEY AUTOINCREMENT,
    "UserId" INTEGER NOT NULL,
    "Kind" TEXT NOT NULL,
    "Title" TEXT NOT NULL,
    "Body" TEXT NOT NULL,
    "Link" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "ReadAt" TEXT NULL
);

CREATE INDEX "IX_Notifications_UserId_CreatedAt" ON "Notifications" ("UserId", "CreatedAt");

CREATE TABLE "SavedSearches" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_SavedSearches" PRIMARY KEY AUTOINCREMENT,
    "UserId" INTEGER NOT NULL,
    "Query" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Field" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL
);

CREATE INDEX "IX_SavedSearches_UserId" ON "SavedSearches" ("UserId");
