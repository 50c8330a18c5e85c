"use client";
import { useState, type FormEvent } from "react";
import { parseScopeLines } from "@/lib/bindings";
import { Button, ErrorText, Field, inputClass } from "../ui";

export interface NewToken {
  name: string;
  scopes: string[];
  expiresInDays?: number;
}

/** A token's name, scopes (one per line) and lifetime in days (empty: no expiry). */
export function CreateTokenForm(props: {
  defaultScopes: readonly string[];
  hint?: string;
  busy: boolean;
  error: unknown;
  onSubmit: (t: NewToken) => void;
  onCancel?: () => void;
}) {
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState(() => props.defaultScopes.join("\n"));
  const [days, setDays] = useState("90");
  function submit(e: FormEvent) {
    e.preventDefault();
    const n = days.trim() === "" ? undefined : Number(days);
    props.onSubmit({ name: name.trim(), scopes: parseScopeLines(scopes), ...(n !== undefined && { expiresInDays: n }) });
  }
  return (
    <form onSubmit={submit} className="space-y-4" aria-label="Create token">
      <div className="grid gap-3 sm:grid-cols-[1fr_10rem]">
        <Field label="Token name" hint="What uses it, e.g. “nightly export on build-3”.">
          <input className={inputClass} value={name} onChange={(e) => setName(e.target.value)} required autoComplete="off" />
        </Field>
        <Field label="Expires in (days)" hint="Empty: never">
          <input className={inputClass} inputMode="numeric" pattern="[0-9]*" value={days} onChange={(e) => setDays(e.target.value)} />
        </Field>
      </div>
      <Field label="Token scopes" hint={props.hint ?? "One per line; at most your own scopes. Prefilled with everything you hold: narrow it to what the program needs."}>
        <textarea className={`${inputClass} font-mono`} rows={5} spellCheck={false} value={scopes} onChange={(e) => setScopes(e.target.value)} />
      </Field>
      <ErrorText error={props.error} />
      <div className="flex justify-end gap-2">
        {props.onCancel && <Button onClick={props.onCancel}>Cancel</Button>}
        <Button tone="primary" type="submit" disabled={props.busy}>Create token</Button>
      </div>
    </form>
  );
}
