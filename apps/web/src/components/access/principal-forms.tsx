"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent, type ReactNode } from "react";
import { draftOf, scopesOf, type ScopesDraft } from "@/lib/bindings";
import { useTRPC } from "@/lib/trpc";
import { Button, ErrorText, Field, inputClass } from "../ui";
import { ScopeList } from "./scope-list";
import { ScopesEditor } from "./scopes-editor";
import type { Principal, PrincipalKind } from "./types";

export interface NewPrincipal {
  kind: PrincipalKind;
  name: string;
  displayName?: string;
  password?: string;
  scopes: string[];
}

const NOUN: Record<PrincipalKind, string> = { user: "user", service: "service account" };

/** A new user (login, display name, initial password, roles) or service account (no password). */
export function CreatePrincipalForm(props: { kind: PrincipalKind; busy: boolean; error: unknown; onSubmit: (p: NewPrincipal) => void; onCancel: () => void }) {
  const [name, setName] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [password, setPassword] = useState("");
  const [draft, setDraft] = useState<ScopesDraft>(() => draftOf([]));
  const user = props.kind === "user";
  function submit(e: FormEvent) {
    e.preventDefault();
    props.onSubmit({
      kind: props.kind, name: name.trim(), scopes: scopesOf(draft),
      ...(displayName.trim() && { displayName: displayName.trim() }),
      ...(user && password && { password }),
    });
  }
  return (
    <form onSubmit={submit} className="space-y-4">
      <div className="grid grid-cols-2 gap-3">
        <Field label={user ? "Login" : "Name"} hint="Lower-case letters, digits and . _ @ -">
          <input className={inputClass} value={name} onChange={(e) => setName(e.target.value)} required autoFocus autoComplete="off" />
        </Field>
        <Field label="Display name" hint={`Defaults to the ${user ? "login" : "name"}`}>
          <input className={inputClass} value={displayName} onChange={(e) => setDisplayName(e.target.value)} autoComplete="off" />
        </Field>
      </div>
      {user && (
        <Field label="Initial password" hint="The user signs in with it; give it to them over a channel you trust. Empty: single sign-on only.">
          <input className={inputClass} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </Field>
      )}
      <ScopesEditor draft={draft} onChange={setDraft} />
      <Grants scopes={scopesOf(draft)} />
      <FormButtons busy={props.busy} error={props.error} onCancel={props.onCancel} label={`Create ${NOUN[props.kind]}`} />
    </form>
  );
}

/** A principal's display name and role bindings. */
export function EditPrincipalForm(props: { principal: Principal; busy: boolean; error: unknown; onSubmit: (patch: { displayName: string; scopes: string[] }) => void; onCancel: () => void }) {
  const [displayName, setDisplayName] = useState(props.principal.displayName);
  const [draft, setDraft] = useState<ScopesDraft>(() => draftOf(props.principal.scopes));
  return (
    <form onSubmit={(e) => (e.preventDefault(), props.onSubmit({ displayName: displayName.trim(), scopes: scopesOf(draft) }))} className="space-y-4">
      <Field label="Display name">
        <input className={inputClass} value={displayName} onChange={(e) => setDisplayName(e.target.value)} required autoFocus />
      </Field>
      <ScopesEditor draft={draft} onChange={setDraft} />
      <Grants scopes={scopesOf(draft)} />
      <FormButtons busy={props.busy} error={props.error} onCancel={props.onCancel} label="Save" />
    </form>
  );
}

/** A new password for a user (it also lifts a lockout). */
export function PasswordForm(props: { busy: boolean; error: unknown; onSubmit: (password: string) => void; onCancel: () => void }) {
  const [password, setPassword] = useState("");
  return (
    <form onSubmit={(e) => (e.preventDefault(), props.onSubmit(password))} className="space-y-4">
      <p className="text-sm">The old password stops working at once and a lockout after failed sign-ins is lifted. Sessions already open stay open.</p>
      <Field label="New password">
        <input className={inputClass} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} required autoFocus />
      </Field>
      <FormButtons busy={props.busy} error={props.error} onCancel={props.onCancel} label="Set password" />
    </form>
  );
}

/** What the scopes grant once roles are expanded (access.expandScopes), as the server would compute it. */
export function Grants({ scopes }: { scopes: string[] }) {
  const trpc = useTRPC();
  const expanded = useQuery({ ...trpc.access.expandScopes.queryOptions({ scopes }), placeholderData: keepPreviousData, refetchInterval: false });
  return (
    <details className="text-sm">
      <summary className="cursor-pointer text-slate-600 dark:text-slate-300">
        Grants {expanded.data ? `${expanded.data.scopes.length} scope(s)` : "…"}
      </summary>
      <div className="mt-2 max-h-40 overflow-auto rounded bg-slate-50 p-2 dark:bg-slate-950">
        <ErrorText error={expanded.error} />
        {expanded.data && <ScopeList scopes={expanded.data.scopes} />}
      </div>
    </details>
  );
}

function FormButtons({ busy, error, onCancel, label }: { busy: boolean; error: unknown; onCancel: () => void; label: ReactNode }) {
  return (
    <>
      <ErrorText error={error} />
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel}>Cancel</Button>
        <Button tone="primary" type="submit" disabled={busy}>{label}</Button>
      </div>
    </>
  );
}
