/** Spec parsing and the linter, without a database (the CLI lints spec files with these, offline). */
export { parseSpecFile, type SpecError, type SpecFile } from "./spec.ts";
export { BUILTIN_JOB_TYPES, lintSpecs } from "./lint.ts";
export { readSpecDirectory } from "./host/spec-files.ts";
