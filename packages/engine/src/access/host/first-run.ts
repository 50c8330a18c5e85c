import type { Engine } from "../../engine.ts";
import { isHourglassError } from "../../errors.ts";
import { randomId } from "./secrets.ts";

/** The account a first run creates: it binds the predefined `admin` role, which expands to `*`. */
export const FIRST_ADMIN = { login: "admin", displayName: "Administrator", scopes: ["assume:admin"] } as const;

export interface EnsuredAdmin {
  /** Whether this call created user:admin. */
  created: boolean;
  login: typeof FIRST_ADMIN.login;
  /** The generated password, only when this call created the account without one given: shown once, stored as a hash. */
  password?: string;
}

/**
 * Makes sure somebody can administer a fresh installation. When no enabled
 * principal's scopes expand to `*`, creates user:admin ("Administrator",
 * `assume:admin`) with `password`, or with a generated one (20 base62
 * characters, about 119 bits) that is returned once. Otherwise it changes
 * nothing, so later runs are no-ops.
 *
 * An existing user:admin is never changed, even when it is no longer an
 * administrator: whoever took its role away meant it. Two processes racing
 * on a fresh database create it once; the loser answers `created: false`.
 */
export async function ensureAdmin(engine: Engine, options: { password?: string } = {}): Promise<EnsuredAdmin> {
  const { principals, roles } = engine.access;
  const id = `user:${FIRST_ADMIN.login}`;
  for (const p of await principals.list()) {
    if (!p.disabled && (await roles.expand(p.scopes)).includes("*")) return { created: false, login: FIRST_ADMIN.login };
  }
  if (await exists(engine, id)) return { created: false, login: FIRST_ADMIN.login };
  const password = options.password ?? randomId(20);
  try {
    await principals.create({
      kind: "user", name: FIRST_ADMIN.login, displayName: FIRST_ADMIN.displayName, password,
      scopes: [...FIRST_ADMIN.scopes], by: "system:first-run",
    });
  } catch (err) {
    // lost a race with another first run (CONFLICT, or the unique key if both passed the check)
    if ((isHourglassError(err) && err.code === "CONFLICT") || (await exists(engine, id))) {
      return { created: false, login: FIRST_ADMIN.login };
    }
    throw err;
  }
  return options.password === undefined
    ? { created: true, login: FIRST_ADMIN.login, password }
    : { created: true, login: FIRST_ADMIN.login };
}

async function exists(engine: Engine, id: string): Promise<boolean> {
  return (await engine.ctx.db.prisma.principal.count({ where: { id } })) > 0;
}
