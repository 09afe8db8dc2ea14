-- Generated from the EF Core model (DatabaseFacade.GenerateCreateScript) and reviewed by hand.

CREATE TABLE "AspNetRoles" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetRoles" PRIMARY KEY AUTOINCREMENT,
    "Name" TEXT NULL,
    "NormalizedName" TEXT NULL,
    "ConcurrencyStamp" TEXT NULL
);

CREATE TABLE "Organisations" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Organisations" PRIMARY KEY AUTOINCREMENT,
    "Kind" INTEGER NOT NULL,
    "Name" TEXT NOT NULL,
    "CreditCode" TEXT NOT NULL,
    "District" TEXT NOT NULL,
    "Fields" TEXT NOT NULL,
    "Qualifications" TEXT NOT NULL,
    "Introduction" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "IsDemo" INTEGER NOT NULL,
    "Version" INTEGER NOT NULL
);

CREATE TABLE "AspNetRoleClaims" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetRoleClaims" PRIMARY KEY AUTOINCREMENT,
    "RoleId" INTEGER NOT NULL,
    "ClaimType" TEXT NULL,
    "ClaimValue" TEXT NULL,
    CONSTRAINT "FK_AspNetRoleClaims_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUsers" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetUsers" PRIMARY KEY AUTOINCREMENT,
    "DisplayName" TEXT NOT NULL,
    "OrganisationId" INTEGER NULL,
    "CreatedAt" TEXT NOT NULL,
    "IsDemo" INTEGER NOT NULL,
    "UserName" TEXT NULL,
    "NormalizedUserName" TEXT NULL,
    "Email" TEXT NULL,
    "NormalizedEmail" TEXT NULL,
    "EmailConfirmed" INTEGER NOT NULL,
    "PasswordHash" TEXT NULL,
    "SecurityStamp" TEXT NULL,
    "ConcurrencyStamp" TEXT NULL,
    "PhoneNumber" TEXT NULL,
    "PhoneNumberConfirmed" INTEGER NOT NULL,
    "TwoFactorEnabled" INTEGER NOT NULL,
    "LockoutEnd" TEXT NULL,
    "LockoutEnabled" INTEGER NOT NULL,
    "AccessFailedCount" INTEGER NOT NULL,
    CONSTRAINT "FK_AspNetUsers_Organisations_OrganisationId" FOREIGN KEY ("OrganisationId") REFERENCES "Organisations" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "Listings" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Listings" PRIMARY KEY AUTOINCREMENT,
    "OrganisationId" INTEGER NOT NULL,
    "CreatedById" INTEGER NOT NULL,
    "Title" TEXT NOT NULL,
    "Summary" TEXT NOT NULL,
    "Keywords" TEXT NOT NULL,
    "Field" TEXT NOT NULL,
    "TransferModes" INTEGER NOT NULL,
    "Status" INTEGER NOT NULL,
    "ReviewNote" TEXT NULL,
    "ContactName" TEXT NOT NULL,
    "ContactPhone" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    "PublishedAt" TEXT NULL,
    "IsDemo" INTEGER NOT NULL,
    "Version" INTEGER NOT NULL,
    "Kind" TEXT NOT NULL,
    "Maturity" INTEGER NULL,
    "Trl" INTEGER NULL,
    "IntellectualProperty" TEXT NULL,
    "PriceWan" TEXT NULL,
    "UseFirstPayLater" INTEGER NULL,
    "Problem" TEXT NULL,
    "KeyPoints" TEXT NULL,
    "Targets" TEXT NULL,
    "BudgetWan" TEXT NULL,
    "ValidUntil" TEXT NULL,
    "IsChallenge" INTEGER NULL,
    "BountyWan" TEXT NULL,
    "ChallengeDeadline" TEXT NULL,
    CONSTRAINT "FK_Listings_Organisations_OrganisationId" FOREIGN KEY ("OrganisationId") REFERENCES "Organisations" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "AspNetUserClaims" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetUserClaims" PRIMARY KEY AUTOINCREMENT,
    "UserId" INTEGER NOT NULL,
    "ClaimType" TEXT NULL,
    "ClaimValue" TEXT NULL,
    CONSTRAINT "FK_AspNetUserClaims_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUserLogins" (
    "LoginProvider" TEXT NOT NULL,
    "ProviderKey" TEXT NOT NULL,
    "ProviderDisplayName" TEXT NULL,
    "UserId" INTEGER NOT NULL,
    CONSTRAINT "PK_AspNetUserLogins" PRIMARY KEY ("LoginProvider", "ProviderKey"),
    CONSTRAINT "FK_AspNetUserLogins_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUserRoles" (
    "UserId" INTEGER NOT NULL,
    "RoleId" INTEGER NOT NULL,
    CONSTRAINT "PK_AspNetUserRoles" PRIMARY KEY ("UserId", "RoleId"),
    CONSTRAINT "FK_AspNetUserRoles_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_AspNetUserRoles_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUserTokens" (
    "UserId" INTEGER NOT NULL,
    "LoginProvider" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Value" TEXT NULL,
    CONSTRAINT "PK_AspNetUserTokens" PRIMARY KEY ("UserId", "LoginProvider", "Name"),
    CONSTRAINT "FK_AspNetUserTokens_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Brokers" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Brokers" PRIMARY KEY AUTOINCREMENT,
    "UserId" INTEGER NOT NULL,
    "CertificateNumber" TEXT NOT NULL,
    "Level" INTEGER NOT NULL,
    "Agency" TEXT NOT NULL,
    "District" TEXT NOT NULL,
    "Specialties" TEXT NOT NULL,
    "RegisteredAt" TEXT NOT NULL,
    "IsDemo" INTEGER NOT NULL,
    CONSTRAINT "FK_Brokers_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_AspNetRoleClaims_RoleId" ON "AspNetRoleClaims" ("RoleId");

CREATE UNIQUE INDEX "RoleNameIndex" ON "AspNetRoles" ("NormalizedName");

CREATE INDEX "IX_AspNetUserClaims_UserId" ON "AspNetUserClaims" ("UserId");

CREATE INDEX "IX_AspNetUserLogins_UserId" ON "AspNetUserLogins" ("UserId");

CREATE INDEX "IX_AspNetUserRoles_RoleId" ON "AspNetUserRoles" ("RoleId");

CREATE INDEX "EmailIndex" ON "AspNetUsers" ("NormalizedEmail");

CREATE INDEX "IX_AspNetUsers_OrganisationId" ON "AspNetUsers" ("OrganisationId");

CREATE UNIQUE INDEX "UserNameIndex" ON "AspNetUsers" ("NormalizedUserName");

CREATE UNIQUE INDEX "IX_Brokers_CertificateNumber" ON "Brokers" ("CertificateNumber");

CREATE UNIQUE INDEX "IX_Brokers_UserId" ON "Brokers" ("UserId");

CREATE INDEX "IX_Listings_OrganisationId" ON "Listings" ("OrganisationId");

CREATE INDEX "IX_Listings_Status_PublishedAt" ON "Listings" ("Status", "PublishedAt");

CREATE UNIQUE INDEX "IX_Organisations_CreditCode" ON "Organisations" ("CreditCode");
