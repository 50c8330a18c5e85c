import type { Outputs } from "./client.ts";

type Request = Outputs["requests"]["get"];
type Status = Outputs["requests"]["status"];
type Chain = Outputs["requests"]["jobChain"];
type LogEntry = Outputs["requests"]["log"][number];
type RunningJob = Outputs["requests"]["running"]["jobs"][number];

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * The zone times are printed in: the process's own (TZ) unless --time-zone
 * names another. Set once per run by the CLI (cli.ts) before a command runs.
 */
let displayZone: string | undefined;

/** Prints times in `zone` (an IANA name, "UTC"), or in the process's own zone when undefined; throws RangeError for an unknown zone. */
export function setDisplayZone(zone: string | undefined): void {
  if (zone !== undefined) new Intl.DateTimeFormat("en-US", { timeZone: zone }); // RangeError for an unknown zone
  displayZone = zone;
}

function wallClock(ms: number): Record<string, string> {
  const f = new Intl.DateTimeFormat("en-US", {
    timeZone: displayZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "longOffset",
  });
  return Object.fromEntries(f.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
}

/** The zone as an offset ("+01:00", "-05:00"), or "UTC" when the zone is UTC. */
function zoneLabel(offsetName: string): string {
  const zone = displayZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone === "UTC" || zone === "Etc/UTC") return "UTC";
  const m = /^GMT([+-]\d{2}:\d{2})?$/.exec(offsetName);
  return m ? (m[1] ?? "+00:00") : offsetName;
}

/** Wall-clock time with its zone, `YYYY-MM-DD HH:MM:SS +01:00` (spinc's format, with the zone it was in). */
export function time(ms: number | null): string {
  if (ms === null) return "-";
  const w = wallClock(ms);
  return `${w.year}-${w.month}-${w.day} ${pad(Number(w.hour) % 24)}:${w.minute}:${w.second} ${zoneLabel(w.timeZoneName ?? "")}`;
}

/** A duration for people: 850ms, 12.3s, 4m05s, 2h10m. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m${pad(s % 60)}s`;
  return `${Math.floor(s / 3600)}h${pad(Math.floor((s % 3600) / 60))}m`;
}

/** Columns padded to their widest cell; the last column is not padded. */
export function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ").trimEnd();
  return [line(head), ...rows.map(line)].join("\n") + "\n";
}

const argText = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
const progress = (r: Request) => `${r.finishedJobs}/${r.totalJobs} jobs (${r.totalJobs ? Math.floor((100 * r.finishedJobs) / r.totalJobs) : 0}%)`;

export function formatStatus(s: Status, now: number): string {
  let out = `${s.id}  ${s.type}  ${s.state}  ${progress(s)}\n`;
  if (s.suspendReason) out += `suspended ${time(s.suspendedAt)} (${s.suspendReason})\n`;
  if (s.running.length) {
    out += table(["JOB", "NAME", "TYPE", "TRY", "RUNTIME"], s.running.map((j) => [j.jobId, j.name, j.type, String(j.try), duration(now - j.startedAt)]));
  }
  return out;
}

export function formatInfo(r: Request, chain: Chain): string {
  const rows: [string, string][] = [
    ["id", r.id], ["type", r.type], ["state", r.state], ["user", r.user], ["progress", progress(r)],
    ["created", time(r.createdAt)], ["started", time(r.startedAt)], ["finished", time(r.finishedAt)],
    ["spec revision", r.specRevision],
  ];
  if (r.suspendReason) rows.push(["suspended", `${time(r.suspendedAt)} (${r.suspendReason})`]);
  if (r.invocation) rows.push(["started by", `scheduler job ${r.invocation.jobKey}, invocation ${r.invocation.id}`]);
  let out = rows.map(([k, v]) => `${`${k}:`.padEnd(15)}${v}`).join("\n") + "\n";
  const args = Object.entries(r.args);
  out += `args:${args.length ? "" : " (none)"}\n` + args.map(([k, v]) => `  ${k}=${argText(v)}\n`).join("");
  const jobs = chain.jobs.filter((j) => j.role === "job");
  out += `jobs: ${jobs.length} (plus ${chain.jobs.length - jobs.length} sequence start / end)\n`;
  out += table(["JOB", "NAME", "TYPE", "STATE", "TRIES", "STARTED", "FINISHED"],
    jobs.map((j) => [j.id, j.name, j.type, j.state, String(j.tries), time(j.startedAt), time(j.finishedAt)]));
  return out;
}

export function formatLog(entries: LogEntry[]): string {
  if (entries.length === 0) return "no tries logged yet\n";
  return entries.map((l) => {
    const took = l.finishedAt === null ? "running" : duration(l.finishedAt - l.startedAt);
    let head = `${l.jobId} ${l.name} (${l.type}) try ${l.try}: ${l.state}`;
    if (l.exitCode !== null) head += `, exit ${l.exitCode}`;
    head += `, ${time(l.startedAt)}, ${took}`;
    const body = [l.error ? `error: ${l.error}` : "", l.stdout ? `stdout:\n${indent(l.stdout)}` : "", l.stderr ? `stderr:\n${indent(l.stderr)}` : ""].filter(Boolean);
    return [head, ...body.map((b) => indent(b))].join("\n") + "\n";
  }).join("");
}

const indent = (s: string) => s.trimEnd().split("\n").map((l) => `  ${l}`).join("\n");

export function formatRunning(jobs: RunningJob[], now: number): string {
  if (jobs.length === 0) return "no jobs running\n";
  return table(["REQUEST", "TYPE", "JOB", "NAME", "JOB TYPE", "TRY", "RUNTIME"],
    jobs.map((j) => [j.requestId, j.requestType, j.jobId, j.name, j.type, String(j.try), duration(now - j.startedAt)]));
}

export function formatRequests(requests: Request[], more: boolean): string {
  if (requests.length === 0) return "no requests match\n";
  return table(["ID", "TYPE", "STATE", "USER", "CREATED", "PROGRESS"],
    requests.map((r) => [r.id, r.type, r.state, r.user, time(r.createdAt), `${r.finishedJobs}/${r.totalJobs}`]))
    + (more ? "(more: raise --limit or use --offset)\n" : "");
}

export function formatSpecs(specs: Outputs["requests"]["specs"], only?: string): string {
  const types = specs.requests.filter((r) => !only || r.name === only);
  let out = types.map((t) => {
    const args = t.args.map((a) => `  ${a.name}${a.kind === "required" ? " (required)" : `=${a.default ?? ""}`}${a.desc ? `  ${a.desc}` : ""}`);
    return [`${t.name}${t.description ? `: ${t.description}` : ""}`, ...args].join("\n") + "\n";
  }).join("\n");
  if (!only && specs.errors.length) out += `\n${specs.errors.length} spec error(s) hide some types; run \`hourglass lint\` on the spec directory\n`;
  return out;
}

type Whoami = Outputs["access"]["whoami"];
type TokenInfo = Outputs["access"]["listTokens"][number];
type NewToken = Outputs["access"]["createToken"];

/** The date in the display zone, `YYYY-MM-DD`. */
export function day(ms: number | null): string {
  if (ms === null) return "never";
  const w = wallClock(ms);
  return `${w.year}-${w.month}-${w.day}`;
}

const expiry = (ms: number | null) => (ms === null ? "never" : time(ms));
const fields = (rows: [string, string][]) => rows.map(([k, v]) => `${`${k}:`.padEnd(15)}${v}`).join("\n") + "\n";
const scopeLines = (scopes: string[]) => (scopes.length ? scopes.join(`\n${" ".repeat(15)}`) : "(none)");

export function formatWhoami(w: Whoami): string {
  const rows: [string, string][] = [
    ["id", w.id], ["kind", w.kind], ["display name", w.displayName], ["scopes", scopeLines(w.scopes)],
  ];
  if (w.tokenId) rows.push(["token", w.tokenId]);
  return fields(rows);
}

export function formatNewToken(t: NewToken): string {
  return fields([
    ["token", t.token], ["clientId", t.clientId], ["accessToken", t.accessToken],
    ["name", t.info.name], ["scopes", scopeLines(t.info.scopes)], ["expires", expiry(t.info.expiresAtTimestampMillis)],
  ]) + "This is the only time the token is shown: store it now (send it as `Authorization: Bearer <token>`).\n";
}

export function formatTokens(tokens: TokenInfo[]): string {
  if (tokens.length === 0) return "no tokens\n";
  return table(["ID", "NAME", "SCOPES", "CREATED", "EXPIRES", "LAST USED", "REVOKED"], tokens.map((t) => [
    t.id, t.name, t.scopes.join(",") || "(none)", time(t.createdAtTimestampMillis),
    expiry(t.expiresAtTimestampMillis),
    time(t.lastUsedAtTimestampMillis), t.revokedAtTimestampMillis === null ? "-" : time(t.revokedAtTimestampMillis),
  ]));
}
