// Builds dist/: index.js (ESM for Node, esbuild) with the engine's queue
// runtime and @hourglass/client bundled in — the engine and the database
// package are private and unversioned, so src/ imports them (and the client)
// by path and they cannot be dependencies of a packed package — and
// index.d.ts from the SDK's own types (src/types.ts), which name nothing of
// Hourglass's sources. npm packages stay external and are the package's
// dependencies; the build fails when the bundle imports one that
// package.json does not list, or when the declarations import anything.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { rollup } from "rollup";
import { dts } from "rollup-plugin-dts";

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const types = join(pkg, ".types");
const dist = join(pkg, "dist");
const manifest = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const packageOf = (id) => (id.startsWith("@") ? id.split("/").slice(0, 2).join("/") : id.split("/")[0]);

rmSync(dist, { recursive: true, force: true });
rmSync(types, { recursive: true, force: true });

/** Bundles relative imports and @hourglass/*; every other bare import stays external. */
const externals = {
  name: "externals",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith("@hourglass/")) return null;
      return { path: args.path, external: true };
    });
  },
};

const result = await build({
  entryPoints: [join(pkg, "src/index.ts")],
  outfile: join(dist, "index.js"),
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  plugins: [externals],
  metafile: true,
  logLevel: "warning",
  // CommonJS dependencies (pg, …) may require() Node's modules from inside the ESM bundle
  banner: { js: 'import { createRequire as __hgCreateRequire } from "node:module"; const require = __hgCreateRequire(import.meta.url);' },
});
const imported = new Set(Object.values(result.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path)));
const needed = [...new Set([...imported].filter((id) => !builtins.has(id)).map(packageOf))].sort();
const missing = needed.filter((p) => !manifest.dependencies?.[p]);
if (missing.length > 0) throw new Error(`dist/index.js imports ${missing.join(", ")}: add them to dependencies`);

const tsc = join(pkg, "node_modules/typescript/bin/tsc");
try {
  execFileSync(process.execPath, [tsc, "-p", join(pkg, "build/tsconfig.types.json")], { stdio: "pipe" });
} catch (err) {
  if (!existsSync(join(types, "sdk-worker/src/index.d.ts"))) throw new Error(String(err.stdout ?? err));
}
const bundle = await rollup({ input: join(types, "sdk-worker/src/index.d.ts"), plugins: [dts()] });
await bundle.write({ file: join(dist, "index.d.ts"), format: "es" });
await bundle.close();
rmSync(types, { recursive: true, force: true });

const declared = readFileSync(join(dist, "index.d.ts"), "utf8");
const stray = [...declared.matchAll(/(?:from\s+|import\()["']([^"']+)["']/g)].map((m) => m[1]);
if (stray.length > 0) throw new Error(`dist/index.d.ts imports ${[...new Set(stray)].join(", ")}: its types must be the SDK's own`);
console.log(`built dist/index.js (${readFileSync(join(dist, "index.js")).length} bytes; external: ${needed.join(", ")}), dist/index.d.ts`);
