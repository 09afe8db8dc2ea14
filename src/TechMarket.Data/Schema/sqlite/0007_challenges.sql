-- 揭榜挂帅 online: a challenge set up on a published need (rule, places, requirements, reviewers), the institutes'
-- applications with their arrival sequence (so a 抢榜 race can be proven fair afterwards), the reviewers' scores,
-- and the awarded challenge's milestones. The rules live in TechMarket.Market's challenge grain.

CREATE TABLE "Challenges" (
    "NeedId" INTEGER NOT NULL CONSTRAINT "PK_Challenges" PRIMARY KEY,
    "Rule" INTEGER NOT NULL,
    "Places" INTEGER NOT NULL,
    "Requirements" TEXT NOT NULL,
    "OpensAt" TEXT NULL,
    "Status" INTEGER NOT NULL,
    "AwardedApplicationId" INTEGER NULL,
    "AwardedAt" TEXT NULL,
    "CreatedAt" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    "Version" INTEGER NOT NULL,
    CONSTRAINT "FK_Challenges_Need" FOREIGN KEY ("NeedId") REFERENCES "Listings" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_Challenges_Status" ON "Challenges" ("Status");

CREATE TABLE "ChallengeReviewers" (
    "NeedId" INTEGER NOT NULL,
    "UserId" INTEGER NOT NULL,
    CONSTRAINT "PK_ChallengeReviewers" PRIMARY KEY ("NeedId", "UserId"),
    CONSTRAINT "FK_ChallengeReviewers_Challenge" FOREIGN KEY ("NeedId") REFERENCES "Challenges" ("NeedId") ON DELETE CASCADE
);

CREATE INDEX "IX_ChallengeReviewers_UserId" ON "ChallengeReviewers" ("UserId");

CREATE TABLE "ChallengeApplications" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_ChallengeApplications" PRIMARY KEY AUTOINCREMENT,
    "NeedId" INTEGER NOT NULL,
    "OrganisationId" INTEGER NOT NULL,
    "UserId" INTEGER NOT NULL,
    "Plan" TEXT NOT NULL,
    "Team" TEXT NOT NULL,
    "PriceWan" TEXT NULL,
    "ArrivedAt" TEXT NOT NULL,
    "ArrivalSeq" INTEGER NOT NULL,
    "Status" INTEGER NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    "Version" INTEGER NOT NULL,
    CONSTRAINT "FK_ChallengeApplications_Challenge" FOREIGN KEY ("NeedId") REFERENCES "Challenges" ("NeedId") ON DELETE CASCADE,
    CONSTRAINT "FK_ChallengeApplications_Organisation" FOREIGN KEY ("OrganisationId") REFERENCES "Organisations" ("Id") ON DELETE RESTRICT
);

CREATE UNIQUE INDEX "IX_ChallengeApplications_NeedId_OrganisationId" ON "ChallengeApplications" ("NeedId", "OrganisationId");
CREATE UNIQUE INDEX "IX_ChallengeApplications_NeedId_ArrivalSeq" ON "ChallengeApplications" ("NeedId", "ArrivalSeq");
CREATE INDEX "IX_ChallengeApplications_OrganisationId" ON "ChallengeApplications" ("OrganisationId");

CREATE TABLE "ChallengeReviews" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_ChallengeReviews" PRIMARY KEY AUTOINCREMENT,
    "ApplicationId" INTEGER NOT NULL,
    "ReviewerUserId" INTEGER NOT NULL,
    "Score" INTEGER NOT NULL,
    "Comment" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    CONSTRAINT "FK_ChallengeReviews_Application" FOREIGN KEY ("ApplicationId") REFERENCES "ChallengeApplications" ("Id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "IX_ChallengeReviews_ApplicationId_ReviewerUserId" ON "ChallengeReviews" ("ApplicationId", "ReviewerUserId");

CREATE TABLE "ChallengeMilestones" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_ChallengeMilestones" PRIMARY KEY AUTOINCREMENT,
    "NeedId" INTEGER NOT NULL,
    "Title" TEXT NOT NULL,
    "DueDate" TEXT NOT NULL,
    "DoneAt" TEXT NULL,
    "CreatedAt" TEXT NOT NULL,
    CONSTRAINT "FK_ChallengeMilestones_Challenge" FOREIGN KEY ("NeedId") REFERENCES "Challenges" ("NeedId") ON DELETE CASCADE
);

CREATE INDEX "IX_ChallengeMilestones_NeedId" ON "ChallengeMilestones" ("NeedId");
