#!/usr/bin/env node
// The `hourglass` command. The CLI is TypeScript run through tsx, as the worker is.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli.ts");
process.exitCode = await main(process.argv.slice(2));
