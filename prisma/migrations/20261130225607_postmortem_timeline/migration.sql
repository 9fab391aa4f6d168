-- AlterTable
ALTER TABLE "PostMortem" ADD COLUMN     "timelineHash" TEXT;
