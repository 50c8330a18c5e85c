"use client";
import { ADMIN_ROLE, PROJECT_ROLE_LEVELS, predefinedRole, projectRoleId } from "@hourglass/engine/access";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { parseScopeLines } from "@/lib/bindings";
import { useLive } from "@/lib/live";
import { useTRPC } from "@/lib/trpc";
import { Button, Card, ConfirmDialog, ErrorText, Field, inputClass, Modal, Time } from "../ui";
import { Grants } from "./principal-forms";
import { ScopeList } from "./scope-list";
import type { StoredRole } from "./types";

type Dialog = { kind: "create" } | { kind: "edit" | "delete"; role: StoredRole };

/** A project name that stands for "<project>" when the built-in roles are spelled out. */
const SAMPLE = "PROJECT";

/** What a built-in role grants, with `<project>` where the project goes. */
function builtInScopes(id: string): string[] {
  const level = PROJECT_ROLE_LEVELS.find((l) => id === `project:<project>:${l}`);
  const scopes = id === ADMIN_ROLE ? predefinedRole(ADMIN_ROLE) : level ? predefinedRole(projectRoleId(SAMPLE, level)) : null;
  return (scopes ?? []).map((s) => s.replace(`:${SAMPLE}/`, ":<project>/"));
}

/** Stored roles (created, edited and deleted here) and the built-in ones, read-only, with what each grants. */
export function RolesSection() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const roles = useQuery(trpc.access.listRoles.queryOptions());
  useLive([{ filter: { entityKinds: ["role"] }, invalidate: [trpc.access.listRoles.queryFilter()] }]);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const close = () => setDialog(null);
  const done = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.access.pathKey() });
    setDialog(null);
  };
  const put = useMutation(trpc.access.putRole.mutationOptions({ onSuccess: done }));
  const remove = useMutation(trpc.access.deleteRole.mutationOptions({ onSuccess: done }));
  const open = (d: Dialog) => (put.reset(), remove.reset(), setDialog(d));
  const target = dialog && "role" in dialog ? dialog.role : null;

  return (
    <div className="space-y-6">
      <section className="space-y-3" aria-label="Stored roles">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <div>
            <h2 className="text-lg font-semibold">Roles</h2>
            <p className="text-sm text-slate-500">Holding <code>assume:&lt;role&gt;</code> grants a role&apos;s scopes; roles may assume roles. A role id ending in <code>*</code> is parameterised: <code>&lt;..&gt;</code> in its scopes becomes what the star matched.</p>
          </div>
          <Button tone="primary" onClick={() => open({ kind: "create" })}>Create role</Button>
        </div>
        <ErrorText error={roles.error} />
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
          <table aria-label="Stored roles" className="min-w-full text-sm">
            <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500 dark:bg-slate-800/50 dark:text-slate-400">
              <tr><th className="px-4 py-2">Role</th><th className="px-4 py-2">Scopes</th><th className="px-4 py-2">Updated</th><th className="px-4 py-2 text-right">Actions</th></tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {roles.data?.roles.map((r) => (
                <tr key={r.id} data-role={r.id} className="align-top">
                  <td className="px-4 py-2"><div className="font-mono font-medium">{r.id}</div>{r.description && <div className="text-xs text-slate-500">{r.description}</div>}</td>
                  <td className="px-4 py-2"><ScopeList scopes={r.scopes} /></td>
                  <td className="px-4 py-2 text-xs"><Time ms={r.updatedAtTimestampMillis} />{r.updatedBy && <div className="text-slate-500">by {r.updatedBy}</div>}</td>
                  <td className="px-4 py-2">
                    <div className="flex justify-end gap-2">
                      <Button onClick={() => open({ kind: "edit", role: r })}>Edit</Button>
                      <Button onClick={() => open({ kind: "delete", role: r })}>Delete</Button>
                    </div>
                  </td>
                </tr>
              ))}
              {roles.data?.roles.length === 0 && <tr><td colSpan={4} className="px-4 py-8 text-center text-slate-500">No stored roles: the built-in ones below may be all you need.</td></tr>}
            </tbody>
          </table>
        </div>
      </section>

      <Card title="Built-in roles">
        <p className="mb-3 text-sm text-slate-500">Computed for every project, never stored; grant one as <code>assume:project:&lt;project&gt;:reader</code> (or triggerer, owner), or <code>assume:admin</code>.</p>
        <ul className="grid gap-4 md:grid-cols-2" aria-label="Built-in roles">
          {roles.data?.builtIn.map((b) => (
            <li key={b.id} data-role={b.id} className="rounded-md border border-slate-200 p-3 dark:border-slate-700">
              <div className="font-mono font-medium">{b.id}</div>
              <p className="mb-2 text-sm text-slate-600 dark:text-slate-300">{b.description}</p>
              <ScopeList scopes={builtInScopes(b.id)} />
            </li>
          ))}
        </ul>
      </Card>

      <Modal open={dialog?.kind === "create" || dialog?.kind === "edit"} title={target ? `Edit role ${target.id}` : "Create role"} onClose={close}>
        {(dialog?.kind === "create" || dialog?.kind === "edit") && (
          <RoleForm role={target ?? undefined} busy={put.isPending} error={put.error} onCancel={close} onSubmit={(r) => put.mutate(r)} />
        )}
      </Modal>
      <ConfirmDialog open={dialog?.kind === "delete"} title={`Delete role ${target?.id ?? ""}?`} confirmLabel="Delete role" tone="danger"
        message="Whoever holds assume:<this role> loses its scopes at once (their tokens too). The bindings themselves stay, granting nothing."
        busy={remove.isPending} error={remove.error} onClose={close} onConfirm={() => remove.mutate({ id: target!.id })} />
    </div>
  );
}

function RoleForm(props: { role?: StoredRole; busy: boolean; error: unknown; onSubmit: (r: { id: string; description: string; scopes: string[] }) => void; onCancel: () => void }) {
  const [id, setId] = useState(props.role?.id ?? "");
  const [description, setDescription] = useState(props.role?.description ?? "");
  const [scopes, setScopes] = useState((props.role?.scopes ?? []).join("\n"));
  function submit(e: FormEvent) {
    e.preventDefault();
    props.onSubmit({ id: id.trim(), description, scopes: parseScopeLines(scopes) });
  }
  return (
    <form onSubmit={submit} className="space-y-4">
      <Field label="Role id" hint="e.g. team:payments, or project-admin:* with <..> in its scopes">
        <input className={`${inputClass} font-mono`} value={id} onChange={(e) => setId(e.target.value)} required readOnly={props.role !== undefined} autoFocus={!props.role} />
      </Field>
      <Field label="Description"><input className={inputClass} value={description} onChange={(e) => setDescription(e.target.value)} /></Field>
      <Field label="Role scopes" hint="One per line">
        <textarea className={`${inputClass} font-mono`} rows={5} spellCheck={false} value={scopes} onChange={(e) => setScopes(e.target.value)} />
      </Field>
      <Grants scopes={parseScopeLines(scopes)} />
      <ErrorText error={props.error} />
      <div className="flex justify-end gap-2">
        <Button onClick={props.onCancel}>Cancel</Button>
        <Button tone="primary" type="submit" disabled={props.busy}>{props.role ? "Save" : "Create role"}</Button>
      </div>
    </form>
  );
}
