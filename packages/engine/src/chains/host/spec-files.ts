import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseSpecFile, type ParsedSpecFile } from "../spec.ts";

/** Every *.yaml / *.yml file of a spec directory, parsed, in name order. Throws when the directory cannot be read. */
export function readSpecDirectory(dir: string): { file: string; parsed: ParsedSpecFile }[] {
  return readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()
    .map((file) => ({ file, parsed: parseSpecFile(file, readFileSync(join(dir, file), "utf8")) }));
}
