/** The pure half of requests: spec parsing and the linter (the CLI lints spec files with these, offline). */
export { parseSpecFile, type SpecError, type SpecFile } from "./spec.ts";
export { BUILTIN_JOB_TYPES, lintSpecs } from "./lint.ts";
