// Who the e2e flows sign in as. serve.ts creates these accounts on the fresh
// database; tests/auth.setup.ts signs in as the admin once through the
// sign-in page and saves the session for every other spec.
import { join } from "node:path";

export const ADMIN = { login: "admin", password: "e2e-admin-password", displayName: "Administrator" };

/** A user for the lockout flow, so locking it out leaves the admin alone. */
export const LOCKOUT_USER = { login: "e2e-lockout", password: "e2e-lockout-password" };

/** The admin's signed-in browser state (its session cookie), written by the setup project. */
export const ADMIN_STATE = join(import.meta.dirname, ".auth", "admin.json");
