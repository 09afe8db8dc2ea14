-- Deals: technology contracts linked back to their match, meeting and event, with their brokers, and their
-- registration (技术合同认定登记): 登记号, classification and 核定技术交易额, or the reason it was refused.

CREATE TABLE "Deals" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Deals" PRIMARY KEY AUTOINCREMENT,
    "Title" TEXT NOT NULL,
    "ContractType" INTEGER NOT NULL,
    "BuyerOrganisationId" INTEGER NOT NULL,
    "SellerOrganisationId" INTEGER NOT NULL,
    "AmountWan" TEXT NOT NULL,
    "SignedOn" TEXT NOT NULL,
    "MatchId" INTEGER NULL,
    "MeetingId" INTEGER NULL,
    "EventId" INTEGER NULL,
    "District" TEXT NOT NULL,
    "Status" INTEGER NOT NULL,
    "AppliedAt" TEXT NULL,
    "RegistrationNumber" TEXT NULL,
    "RegisteredType" INTEGER NULL,
    "RegisteredAmountWan" TEXT NULL,
    "RegistrarUserId" INTEGER NULL,
    "RegisteredAt" TEXT NULL,
    "DecisionNote" TEXT NOT NULL,
    "CreatedById" INTEGER NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    "Version" INTEGER NOT NULL,
    "IsDemo" INTEGER NOT NULL,
    CONSTRAINT "FK_Deals_Organisations_BuyerOrganisationId" FOREIGN KEY ("BuyerOrganisationId") REFERENCES "Organisations" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Deals_Organisations_SellerOrganisationId" FOREIGN KEY ("SellerOrganisationId") REFERENCES "Organisations" ("Id") ON DELETE RESTRICT
);

CREATE UNIQUE INDEX "IX_Deals_RegistrationNumber" ON "Deals" ("RegistrationNumber");
CREATE INDEX "IX_Deals_Status" ON "Deals" ("Status");
CREATE INDEX "IX_Deals_EventId" ON "Deals" ("EventId");
CREATE INDEX "IX_Deals_MatchId" ON "Deals" ("MatchId");
CREATE INDEX "IX_Deals_BuyerOrganisationId" ON "Deals" ("BuyerOrganisationId");
CREATE INDEX "IX_Deals_SellerOrganisationId" ON "Deals" ("SellerOrganisationId");

CREATE TABLE "DealBrokers" (
    "DealId" INTEGER NOT NULL,
    "UserId" INTEGER NOT NULL,
    CONSTRAINT "PK_DealBrokers" PRIMARY KEY ("DealId", "UserId"),
    CONSTRAINT "FK_DealBrokers_Deals_DealId" FOREIGN KEY ("DealId") REFERENCES "Deals" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_DealBrokers_UserId" ON "DealBrokers" ("UserId");
