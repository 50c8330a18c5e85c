// The Requests page's args filter as typed ("env=prod region=eu-west-1") and
// as the API takes it ({ env: "prod", … }). Pure: tested in apps/web/test/args-filter.test.ts.

/** Words `name=value` (the value may hold "="); a word without a name is a problem. */
export function parseArgsFilter(text: string): { args: Record<string, string>; problem?: string } {
  const args: Record<string, string> = {};
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    const eq = word.indexOf("=");
    if (eq <= 0) return { args: {}, problem: `"${word}" is not name=value` };
    args[word.slice(0, eq)] = word.slice(eq + 1);
  }
  return { args };
}

/** The text that parses back to `args`. */
export function formatArgsFilter(args: Record<string, string>): string {
  return Object.entries(args).map(([k, v]) => `${k}=${v}`).join(" ");
}
