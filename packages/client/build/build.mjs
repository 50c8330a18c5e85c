// Builds dist/: index.js (ESM, esbuild; @trpc/* stay external) and index.d.ts,
// every type the client names bundled into one file (rollup-plugin-dts over
// tsc's declarations), so the package depends on no Hourglass source. Fails
// when the bundled types import anything but @trpc/client and @trpc/server.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { rollup } from "rollup";
import { dts } from "rollup-plugin-dts";
import { inlineZodAliases } from "./inline-zod.mjs";

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const types = join(pkg, ".types");
const dist = join(pkg, "dist");
const EXTERNAL = ["@trpc/client", "@trpc/server"];
const isExternal = (id) => EXTERNAL.some((e) => id === e || id.startsWith(`${e}/`));

rmSync(dist, { recursive: true, force: true });
rmSync(types, { recursive: true, force: true });

await build({
  entryPoints: [join(pkg, "src/index.ts")],
  outfile: join(dist, "index.js"),
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  external: EXTERNAL,
  logLevel: "warning",
});

// Declarations of the client and of the engine modules its types reach. Type
// errors elsewhere in the workspace are the typecheck's business, not this build's.
const tsc = join(pkg, "node_modules/typescript/bin/tsc");
try {
  execFileSync(process.execPath, [tsc, "-p", join(pkg, "build/tsconfig.types.json")], { stdio: "pipe" });
} catch (err) {
  if (!existsSync(join(types, "client/src/index.d.ts"))) throw new Error(String(err.stdout ?? err));
}

const declarations = readdirSync(types, { recursive: true }).filter((f) => f.endsWith(".d.ts")).map((f) => join(types, f));
inlineZodAliases(declarations);

const SERVER_CONTEXT = join(pkg, "build/server-context.d.ts");
/** Resolves imports inside tsc's output ("./x.ts" → x.d.ts), standing in for the server's context. */
const engineTypes = {
  name: "hourglass-engine-types",
  resolveId(source, importer) {
    if (!importer) return null;
    if (isExternal(source)) return { id: source, external: true };
    if (!source.startsWith(".")) return { id: source, external: true };
    const path = resolve(dirname(importer), source).replace(/\.ts$/, ".d.ts");
    if (path.endsWith(join("engine", "src", "api", "trpc.d.ts"))) return SERVER_CONTEXT;
    return path;
  },
};

const bundle = await rollup({ input: join(types, "client/src/index.d.ts"), plugins: [engineTypes, dts()] });
await bundle.write({ file: join(dist, "index.d.ts"), format: "es" });
await bundle.close();
rmSync(types, { recursive: true, force: true });

const bundled = readFileSync(join(dist, "index.d.ts"), "utf8");
const imported = [...bundled.matchAll(/(?:from\s+|import\()["']([^"']+)["']/g)].map((m) => m[1]);
const stray = [...new Set(imported.filter((id) => !isExternal(id)))];
if (stray.length > 0) throw new Error(`dist/index.d.ts imports ${stray.join(", ")}: only @trpc/* may stay external`);
const jsBytes = readFileSync(join(dist, "index.js")).length;
console.log(`built dist/index.js (${jsBytes} bytes), dist/index.d.ts (${bundled.length} bytes)`);
