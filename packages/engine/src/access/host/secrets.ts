import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Random identifiers and secrets, and their storage form. Secrets (session
 * cookies, token secrets) are 32 random bytes, so a fast hash is enough to
 * store them: nothing can be guessed from SHA-256 of 256 random bits, and
 * the lookup stays one indexed read.
 */
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** `length` characters of base62, uniformly random. */
export function randomId(length = 20): string {
  const out: string[] = [];
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b < 248 && out.length < length) out.push(ALPHABET[b % 62]!); // 248 = 4 × 62: no modulo bias
    }
  }
  return out.join("");
}

/** 32 random bytes as base64url (43 characters). */
export function randomSecret(): string {
  return randomBytes(32).toString("base64url");
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Constant-time comparison of two hex digests. */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && timingSafeEqual(x, y);
}

/** An API token as a caller sends it: `hg_<id>_<secret>` (the secret may itself contain `_`). */
export function formatToken(id: string, secret: string): string {
  return `hg_${id}_${secret}`;
}

export function parseToken(token: string): { id: string; secret: string } | null {
  const m = /^hg_([0-9A-Za-z]{20})_([A-Za-z0-9_-]{43})$/.exec(token);
  return m ? { id: m[1]!, secret: m[2]! } : null;
}
