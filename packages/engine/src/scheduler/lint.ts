import { parseProject, projectIdOfFile, type CatalogError } from "./catalog.ts";
import { describeSchedule } from "./schedule.ts";
import { formatInZone, upcomingRuns } from "./slots.ts";

/**
 * The project files' linter, pure (the CLI's `hourglass lint-projects` reads
 * the files): each file parsed exactly as workers load it (catalog.ts), and
 * for every cron job the next runs after `now` in its own zone, with their
 * jitter, so a schedule can be checked before it ships.
 */
export interface ProjectLint {
  files: number;
  errors: CatalogError[];
  jobs: LintedJob[];
}

export interface LintedJob {
  job: string;
  schedule: string;
  scheduleInWords: string;
  /** Cron only: the zone and the next runs (slot, start, and the start in the zone's wall clock). */
  timezone: string | null;
  runs: { slotAt: number; runAt: number; text: string }[];
}

export function lintProjects(files: { name: string; text: string }[], now: number, runs = 10): ProjectLint {
  const out: ProjectLint = { files: 0, errors: [], jobs: [] };
  for (const file of files) {
    if (projectIdOfFile(file.name) === null && !/\.ya?ml$/.test(file.name)) continue;
    out.files++;
    const parsed = parseProject(file.name, file.text);
    if (!parsed.ok) {
      out.errors.push(...parsed.errors);
      continue;
    }
    for (const def of parsed.project.jobs) {
      const key = `${parsed.project.id}/${def.id}`;
      const s = def.schedule;
      out.jobs.push({
        job: key, schedule: def.scheduleText, scheduleInWords: describeSchedule(s),
        timezone: s.kind === "cron" ? s.timezone : null,
        runs: s.kind === "cron"
          ? upcomingRuns(s, key, now, runs).map((r) => ({ ...r, text: formatInZone(r.runAt, s.timezone) }))
          : [],
      });
    }
  }
  return out;
}
