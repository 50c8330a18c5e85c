"use client";
import { ENTITY_KINDS, type EntityKind } from "@hourglass/engine/states";
import { useEffect, useState, type FormEvent } from "react";
import { Button, controlClass } from "@/components/ui";
import { RANGE_LABELS, RANGES, type AuditQuery, type Range } from "@/lib/audit-query";
import { useTimeZone } from "@/lib/time-zone";

/**
 * The audit page's filters. Choices (selects, checkboxes) apply at once;
 * typed text applies on Enter or "Apply". `onChange` gets the whole query.
 */
export function AuditFilters({ query, onChange, me }: { query: AuditQuery; onChange: (q: AuditQuery) => void; me: string | undefined }) {
  const [draft, setDraft] = useState(query);
  const { zone } = useTimeZone();
  useEffect(() => setDraft(query), [query]);
  const apply = (patch: Partial<AuditQuery>) => {
    const next = { ...draft, ...patch };
    setDraft(next); // shown at once; the URL (and so `query`) follows
    onChange(next);
  };
  const submit = (e: FormEvent) => (e.preventDefault(), onChange(draft));
  const text = (key: "actor" | "project" | "entityId" | "action", label: string, placeholder: string, disabled = false) => (
    <label className="flex flex-col gap-1">
      {label}
      <input aria-label={label} className={`${controlClass} w-44`} placeholder={placeholder} disabled={disabled}
        value={disabled ? (me ?? "") : draft[key]} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} />
    </label>
  );
  return (
    <form onSubmit={submit} aria-label="Filters" className="flex flex-wrap items-end gap-3 text-sm">
      {text("actor", "Actor", "user:alice", draft.mine)}
      <label className="flex items-center gap-2 self-center pt-5">
        <input type="checkbox" checked={draft.mine} onChange={(e) => apply({ mine: e.target.checked })} />
        My actions
      </label>
      {text("project", "Project", "any")}
      <label className="flex flex-col gap-1">
        Entity
        <select aria-label="Entity kind" className={controlClass} value={draft.entityKind}
          onChange={(e) => apply({ entityKind: e.target.value as EntityKind | "" })}>
          <option value="">any kind</option>
          {ENTITY_KINDS.map((k) => <option key={k} value={k}>{k}</option>)}
        </select>
      </label>
      {text("entityId", "Entity id", "emails, 42, user:bob…")}
      {text("action", "Action", "paused, updated…")}
      <label className="flex flex-col gap-1">
        Time
        <select aria-label="Time range" className={controlClass} value={draft.range} onChange={(e) => apply({ range: e.target.value as Range })}>
          {RANGES.map((r) => <option key={r} value={r}>{RANGE_LABELS[r]}</option>)}
        </select>
      </label>
      {draft.range === "custom" && (
        <>
          <label className="flex flex-col gap-1">
            From
            <input aria-label="From" type="datetime-local" className={controlClass} value={draft.from}
              onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
          </label>
          <label className="flex flex-col gap-1">
            To
            <input aria-label="To" type="datetime-local" className={controlClass} value={draft.to}
              onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
          </label>
          <span className="pb-2 text-xs text-slate-500" data-testid="range-zone">in {zone}</span>
        </>
      )}
      <label className="flex items-center gap-2 self-center pt-5" title="Leave out workers' and Hourglass's own transitions (worker:…, system:…)">
        <input type="checkbox" checked={draft.operatorOnly} onChange={(e) => apply({ operatorOnly: e.target.checked })} />
        Operators only
      </label>
      <Button type="submit">Apply</Button>
    </form>
  );
}
