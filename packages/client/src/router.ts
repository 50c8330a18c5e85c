/**
 * The API's types. At build time their declarations are bundled into
 * dist/index.d.ts (build/build.mjs), so the published package carries the
 * types of every procedure and depends on no Hourglass source. Imported by
 * path, not as a workspace dependency: the engine is private and unversioned,
 * and `pnpm pack` refuses a manifest that names it.
 */
export type { AppRouter } from "../../engine/src/api/root.ts";
export type { ErrorCode } from "../../engine/src/errors.ts";
