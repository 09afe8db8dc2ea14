-- Audit log of every state change and edit (who, when, what changed).

CREATE TABLE "AuditLog" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AuditLog" PRIMARY KEY AUTOINCREMENT,
    "At" TEXT NOT NULL,
    "UserId" INTEGER NULL,
    "EntityType" TEXT NOT NULL,
    "EntityId" INTEGER NOT NULL,
    "Action" TEXT NOT NULL,
    "Changes" TEXT NOT NULL
);

CREATE INDEX "IX_AuditLog_At" ON "AuditLog" ("At");

CREATE INDEX "IX_AuditLog_EntityType_EntityId" ON "AuditLog" ("EntityType", "EntityId");
