-- 百日百场 meetings: requests, organiser proposals and walk-ins between approved registrations, where the schedule
-- placed them, and each side's outcome; check-in codes and availability on registrations; the event's schedule state
-- and the reminders sent.

ALTER TABLE "Events" ADD COLUMN "ScheduleKind" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Events" ADD COLUMN "ScheduledAt" TEXT NULL;
ALTER TABLE "Events" ADD COLUMN "ScheduleSummary" TEXT NOT NULL DEFAULT '';
ALTER TABLE "Events" ADD COLUMN "DayReminderSentAt" TEXT NULL;
ALTER TABLE "Events" ADD COLUMN "HourReminderSentAt" TEXT NULL;

ALTER TABLE "EventRegistrations" ADD COLUMN "CheckInCode" TEXT NOT NULL DEFAULT '';
ALTER TABLE "EventRegistrations" ADD COLUMN "UnavailableSlots" TEXT NOT NULL DEFAULT '';

CREATE TABLE "EventMeetings" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_EventMeetings" PRIMARY KEY AUTOINCREMENT,
    "EventId" INTEGER NOT NULL,
    "RequesterId" INTEGER NOT NULL,
    "TargetId" INTEGER NOT NULL,
    "Origin" INTEGER NOT NULL,
    "Status" INTEGER NOT NULL,
    "RequestedByUserId" INTEGER NOT NULL,
    "Message" TEXT NOT NULL,
    "RequesterAcceptedAt" TEXT NULL,
    "TargetAcceptedAt" TEXT NULL,
    "ReplyNote" TEXT NOT NULL,
    "Score" REAL NOT NULL,
    "NeedId" INTEGER NULL,
    "AchievementId" INTEGER NULL,
    "ProposedSlot" INTEGER NULL,
    "ProposedByRegistrationId" INTEGER NULL,
    "PinSlot" INTEGER NULL,
    "PinTable" INTEGER NULL,
    "Slot" INTEGER NULL,
    "Table" INTEGER NULL,
    "UnplacedReason" TEXT NOT NULL,
    "RequesterOutcome" INTEGER NOT NULL,
    "TargetOutcome" INTEGER NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    "Version" INTEGER NOT NULL,
    CONSTRAINT "FK_EventMeetings_Events_EventId" FOREIGN KEY ("EventId") REFERENCES "Events" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_EventMeetings_EventRegistrations_RequesterId" FOREIGN KEY ("RequesterId") REFERENCES "EventRegistrations" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_EventMeetings_EventRegistrations_TargetId" FOREIGN KEY ("TargetId") REFERENCES "EventRegistrations" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_EventMeetings_EventId_RequesterId_TargetId" ON "EventMeetings" ("EventId", "RequesterId", "TargetId");
CREATE INDEX "IX_EventMeetings_RequesterId" ON "EventMeetings" ("RequesterId");
CREATE INDEX "IX_EventMeetings_TargetId" ON "EventMeetings" ("TargetId");
