-- Role bindings declared in the access config file, replaced as a whole by each sync.
-- CreateTable
CREATE TABLE "config_binding" (
    "principal_id" TEXT NOT NULL,
    "scopes" TEXT[],
    "synced_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "config_binding_pkey" PRIMARY KEY ("principal_id")
);
