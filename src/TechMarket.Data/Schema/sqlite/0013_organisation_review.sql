-- Organisation review: a member's new name waits for an organiser's or admin's approval (the old name stays
-- published meanwhile), the reason of the last rejection, and the 统一社会信用代码 check (verified when, by whom).

ALTER TABLE "Organisations" ADD COLUMN "PendingName" TEXT NULL;
ALTER TABLE "Organisations" ADD COLUMN "PendingNameAt" TEXT NULL;
ALTER TABLE "Organisations" ADD COLUMN "NameReviewNote" TEXT NOT NULL DEFAULT '';
ALTER TABLE "Organisations" ADD COLUMN "VerifiedAt" TEXT NULL;
ALTER TABLE "Organisations" ADD COLUMN "VerifiedById" INTEGER NULL;

CREATE INDEX "IX_Organisations_PendingNameAt" ON "Organisations" ("PendingNameAt");
