import { hash, verify } from "@node-rs/argon2";

/**
 * Passwords are stored as argon2id PHC strings with OWASP's minimum
 * settings (19 MiB, 2 passes, 1 lane: about 80 ms here), through
 * @node-rs/argon2 (the reference implementation, prebuilt for each
 * platform, no build step).
 */
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const MIN_PASSWORD_LENGTH = 12;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** A hash of nothing anyone knows, verified when the account does not exist, so both answers take as long. */
let decoy: Promise<string> | undefined;

/** Whether `password` matches `stored`; with no stored hash it still spends the time of a check. */
export async function checkPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    decoy ??= hashPassword("decoy password, never valid");
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}
