-- A campaign's shared lists: the published achievements it promotes (推介成果) and the 揭榜挂帅 challenges it carries.

CREATE TABLE "CampaignListings" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_CampaignListings" PRIMARY KEY AUTOINCREMENT,
    "CampaignId" INTEGER NOT NULL,
    "ListingId" INTEGER NOT NULL,
    "Note" TEXT NOT NULL,
    "AddedById" INTEGER NOT NULL,
    "AddedAt" TEXT NOT NULL,
    CONSTRAINT "FK_CampaignListings_Campaigns_CampaignId" FOREIGN KEY ("CampaignId") REFERENCES "Campaigns" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_CampaignListings_Listings_ListingId" FOREIGN KEY ("ListingId") REFERENCES "Listings" ("Id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "IX_CampaignListings_CampaignId_ListingId" ON "CampaignListings" ("CampaignId", "ListingId");
CREATE INDEX "IX_CampaignListings_ListingId" ON "CampaignListings" ("ListingId");
