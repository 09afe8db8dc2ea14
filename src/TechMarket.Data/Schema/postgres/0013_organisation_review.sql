-- Organisation review: a member's new name waits for an organiser's or admin's approval (the old name stays
-- published meanwhile), the reason of the last rejection, and the 统一社会信用代码 check (verified when, by whom).

ALTER TABLE "Organisations" ADD COLUMN "PendingName" character varying(200);
ALTER TABLE "Organisations" ADD COLUMN "PendingNameAt" timestamp with time zone;
ALTER TABLE "Organisations" ADD COLUMN "NameReviewNote" character varying(500) NOT NULL DEFAULT '';
ALTER TABLE "Organisations" ADD COLUMN "VerifiedAt" timestamp with time zone;
ALTER TABLE "Organisations" ADD COLUMN "VerifiedById" bigint;

CREATE INDEX "IX_Organisations_PendingNameAt" ON "Organisations" ("PendingNameAt");
