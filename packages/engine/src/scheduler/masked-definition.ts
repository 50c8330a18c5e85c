import { maskTask } from "../executors/secrets.ts";
import type { JobDefinition } from "./catalog.ts";

/**
 * A definition as readers see it: secret values masked; its source YAML only
 * when the task holds no secret (the text would show the values the mask hides).
 */
export function maskedDefinition(d: JobDefinition): JobDefinition {
  const task = maskTask(d.task);
  const source = JSON.stringify(task) === JSON.stringify(d.task) ? d.source : undefined;
  return { ...d, task, source };
}
