-- AlterTable
ALTER TABLE "IncidentUpdate" ADD COLUMN     "externalActor" TEXT;

-- AlterTable
ALTER TABLE "JiraTicket" ADD COLUMN     "deletedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN     "event" TEXT,
ADD COLUMN     "incidentId" INTEGER,
ADD COLUMN     "outcome" TEXT;

-- AlterTable
ALTER TABLE "SyncMark" ADD COLUMN     "incidentValue" TEXT;

-- AlterTable
ALTER TABLE "SyncJournal" ADD COLUMN     "actor" TEXT;

-- AlterTable
ALTER TABLE "Installation" ADD COLUMN     "reconcileFailures" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "reconcilePausedUntil" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "SyncField" (
    "incidentId" INTEGER NOT NULL,
    "field" TEXT NOT NULL,
    "incidentValue" TEXT NOT NULL,
    "jiraValue" TEXT NOT NULL,
    "jiraChangedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SyncField_pkey" PRIMARY KEY ("incidentId","field")
);

-- CreateIndex
CREATE INDEX "WebhookDelivery_receivedAt_idx" ON "WebhookDelivery"("receivedAt");

-- AddForeignKey
ALTER TABLE "SyncField" ADD CONSTRAINT "SyncField_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;
