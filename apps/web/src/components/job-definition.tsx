import { stringify } from "yaml";

/**
 * A scheduler job's definition as the YAML its project file wrote (comments
 * and order kept); a definition stored before sources were kept is shown as
 * YAML of its parsed form.
 */
export function JobDefinition({ definition }: { definition: { source?: string } & Record<string, unknown> }) {
  const { source, ...parsed } = definition;
  return (
    <pre data-testid="job-definition" className="max-h-80 overflow-auto rounded bg-slate-50 p-3 font-mono text-xs dark:bg-slate-950">
      {source ?? stringify(parsed)}
    </pre>
  );
}
