-- A need's wanted maturity shares the Maturity column with achievements (0: any stage); saved searches gain a
-- district and remember which listings they have alerted about, so an alert is sent once per listing.

UPDATE "Listings" SET "Maturity" = 0 WHERE "Maturity" IS NULL;

ALTER TABLE "SavedSearches" ADD COLUMN "District" TEXT NOT NULL DEFAULT '';

CREATE TABLE "SavedSearchAlerts" (
    "SavedSearchId" INTEGER NOT NULL,
    "ListingId" INTEGER NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    CONSTRAINT "PK_SavedSearchAlerts" PRIMARY KEY ("SavedSearchId", "ListingId"),
    CONSTRAINT "FK_SavedSearchAlerts_SavedSearch" FOREIGN KEY ("SavedSearchId") REFERENCES "SavedSearches" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_SavedSearchAlerts_Listing" FOREIGN KEY ("ListingId") REFERENCES "Listings" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_SavedSearchAlerts_ListingId" ON "SavedSearchAlerts" ("ListingId");
