-- AlterTable
ALTER TABLE "User" ADD COLUMN     "homeOpenedAt" TIMESTAMP(3);
