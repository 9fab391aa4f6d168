-- AlterTable
ALTER TABLE "IncidentUpdate" ADD COLUMN     "field" TEXT,
ADD COLUMN     "fromValue" TEXT,
ADD COLUMN     "toValue" TEXT;
