"use client";
import { bindingLabel, splitScopes } from "@/lib/bindings";

/** Role bindings as role names. */
export function RoleNames({ scopes }: { scopes: readonly string[] }) {
  const { bindings } = splitScopes(scopes);
  if (bindings.length === 0) return <span className="text-slate-400">—</span>;
  return (
    <ul className="flex flex-wrap gap-1" aria-label="Roles">
      {bindings.map((b) => (
        <li key={bindingLabel(b)} className="rounded-full bg-indigo-50 px-2 py-0.5 text-xs font-medium text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200">
          {bindingLabel(b)}
        </li>
      ))}
    </ul>
  );
}

/** Scopes, one per line, in code type; `only: "extra"` leaves out the role bindings. */
export function ScopeList({ scopes, only }: { scopes: readonly string[]; only?: "extra" }) {
  const shown = only === "extra" ? splitScopes(scopes).extra : scopes;
  if (shown.length === 0) return <span className="text-slate-400">—</span>;
  return (
    <ul className="space-y-0.5 font-mono text-xs" aria-label="Scopes">
      {shown.map((s) => <li key={s} className="break-all">{s}</li>)}
    </ul>
  );
}
