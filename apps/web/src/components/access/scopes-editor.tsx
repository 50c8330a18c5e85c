"use client";
import { PROJECT_ROLE_LEVELS, type ProjectRoleLevel } from "@hourglass/engine/access";
import { useId, useState } from "react";
import { bindingLabel, invalidTyped, sameBinding, type Binding, type ScopesDraft } from "@/lib/bindings";
import { Button, controlClass, Field, inputClass } from "../ui";
import { useKnownProjects, useStoredRoleIds } from "./known-projects";

type Pick = "project" | "admin" | "role";

/**
 * Role bindings (pick a project and a level, admin, or a stored role) and
 * free-form extra scopes, one per line. The server normalises and checks
 * what is saved; this only keeps the two apart for reading.
 */
export function ScopesEditor({ draft, onChange }: { draft: ScopesDraft; onChange: (d: ScopesDraft) => void }) {
  const projects = useKnownProjects();
  const roles = useStoredRoleIds();
  const listId = useId();
  const [pick, setPick] = useState<Pick>("project");
  const [project, setProject] = useState("");
  const [level, setLevel] = useState<ProjectRoleLevel>("reader");
  const [roleId, setRoleId] = useState("");
  const candidate: Binding | null =
    pick === "admin" ? { kind: "admin" }
      : pick === "role" ? (roleId ? { kind: "role", roleId } : null)
        : /^[A-Za-z0-9_-]{1,100}$/.test(project) ? { kind: "project", project, level } : null;
  const has = (b: Binding) => draft.bindings.some((x) => sameBinding(x, b));
  const add = () => {
    if (!candidate || has(candidate)) return;
    onChange({ ...draft, bindings: [...draft.bindings, candidate] });
    setProject("");
  };
  const remove = (b: Binding) => onChange({ ...draft, bindings: draft.bindings.filter((x) => !sameBinding(x, b)) });
  const bad = invalidTyped(draft.extraText);

  return (
    <div className="space-y-3">
      <fieldset className="space-y-2">
        <legend className="mb-1 text-sm font-medium">Roles</legend>
        <ul aria-label="Role bindings" className="flex flex-wrap gap-2">
          {draft.bindings.map((b) => (
            <li key={bindingLabel(b)} className="inline-flex items-center gap-1 rounded-full bg-indigo-50 py-0.5 pl-2.5 pr-1 text-xs font-medium text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200">
              {bindingLabel(b)}
              <button type="button" aria-label={`Remove ${bindingLabel(b)}`} onClick={() => remove(b)}
                className="rounded-full px-1.5 hover:bg-indigo-100 dark:hover:bg-indigo-900">×</button>
            </li>
          ))}
          {draft.bindings.length === 0 && <li className="text-xs text-slate-500">No roles.</li>}
        </ul>
        <div className="flex flex-wrap items-end gap-2">
          <select aria-label="Role kind" className={controlClass} value={pick} onChange={(e) => setPick(e.target.value as Pick)}>
            <option value="project">Project role</option>
            <option value="admin">Admin (every scope)</option>
            <option value="role" disabled={roles.length === 0}>Stored role</option>
          </select>
          {pick === "project" && (
            <>
              <input aria-label="Project" className={`${controlClass} w-40`} list={listId} placeholder="project" value={project}
                onChange={(e) => setProject(e.target.value.trim())} />
              <datalist id={listId}>{projects.map((p) => <option key={p} value={p} />)}</datalist>
              <select aria-label="Level" className={controlClass} value={level} onChange={(e) => setLevel(e.target.value as ProjectRoleLevel)}>
                {PROJECT_ROLE_LEVELS.map((l) => <option key={l} value={l}>{l}</option>)}
              </select>
            </>
          )}
          {pick === "role" && (
            <select aria-label="Stored role" className={controlClass} value={roleId} onChange={(e) => setRoleId(e.target.value)}>
              <option value="">choose…</option>
              {roles.map((r) => <option key={r} value={r}>{r}</option>)}
            </select>
          )}
          <Button onClick={add} disabled={!candidate || has(candidate)}>Add role</Button>
        </div>
      </fieldset>
      <Field label="Extra scopes" hint="One per line, e.g. executor:shell or queues:read:demo/emails; role bindings typed here work too.">
        <textarea className={`${inputClass} font-mono`} rows={3} value={draft.extraText} spellCheck={false}
          onChange={(e) => onChange({ ...draft, extraText: e.target.value })} />
      </Field>
      {bad.length > 0 && <p className="text-xs text-rose-700 dark:text-rose-300">Not valid scopes: {bad.join(", ")}</p>}
    </div>
  );
}
