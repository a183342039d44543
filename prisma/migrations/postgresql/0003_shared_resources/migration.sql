-- Edited by hand after prisma migrate diff: spans stored before this migration keep their rows
-- and point at resource 0, an empty attribute set (their resource text is not carried over).
-- AlterTable
ALTER TABLE "spans" DROP COLUMN "resource",
ADD COLUMN     "resource_key" BIGINT NOT NULL DEFAULT 0;
ALTER TABLE "spans" ALTER COLUMN "resource_key" DROP DEFAULT;

-- CreateTable
CREATE TABLE "resources" (
    "key" BIGINT NOT NULL,
    "attributes" TEXT NOT NULL,

    CONSTRAINT "resources_pkey" PRIMARY KEY ("key")
);


INSERT INTO "resources" ("key", "attributes") VALUES (0, '{}');
