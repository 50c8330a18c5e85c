"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useWhoami } from "@/lib/session";
import { useLive } from "@/lib/live";
import { useTRPC } from "@/lib/trpc";
import { Badge, Button, ConfirmDialog, ErrorText, Modal, Time } from "../ui";
import { CreatePrincipalForm, EditPrincipalForm, PasswordForm } from "./principal-forms";
import { RoleNames, ScopeList } from "./scope-list";
import { CreateTokenForm } from "./token-form";
import { TokenSecret } from "./token-secret";
import type { CreatedToken, Principal, PrincipalKind } from "./types";

type Dialog =
  | { kind: "create" }
  | { kind: "edit" | "password" | "disable" | "delete" | "token"; principal: Principal };

const COPY: Record<PrincipalKind, { title: string; noun: string; create: string; empty: string }> = {
  user: { title: "Users", noun: "user", create: "Create user", empty: "No users." },
  service: { title: "Service accounts", noun: "service account", create: "Create service account", empty: "No service accounts yet: create one for each program that calls the API." },
};

/** Users or service accounts: who they are, their roles, how they sign in, and the admin's actions on them. */
export function PrincipalsSection({ kind }: { kind: PrincipalKind }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useWhoami().data;
  const list = useQuery(trpc.access.listPrincipals.queryOptions());
  useLive([{ filter: { entityKinds: ["principal", "token", "role"] }, invalidate: [trpc.access.listPrincipals.queryFilter()] }]);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const copy = COPY[kind];
  const close = () => setDialog(null);
  const done = (message: string) => async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.access.pathKey() });
    setDialog(null);
    setNotice(message);
  };
  const create = useMutation(trpc.access.createPrincipal.mutationOptions({ onSuccess: (p) => done(`Created ${p.id}.`)() }));
  const update = useMutation(trpc.access.updatePrincipal.mutationOptions({ onSuccess: (p) => done(`Saved ${p.id}.`)() }));
  const remove = useMutation(trpc.access.deletePrincipal.mutationOptions({ onSuccess: () => done("Deleted.")() }));
  const token = useMutation(trpc.access.createToken.mutationOptions({
    onSuccess: async (t) => {
      await queryClient.invalidateQueries({ queryKey: trpc.access.listTokens.pathKey() });
      setDialog(null);
      setCreated(t);
    },
  }));
  const open = (d: Dialog) => {
    for (const m of [create, update, remove, token]) m.reset();
    setNotice(null);
    setDialog(d);
  };
  const rows = list.data?.filter((p) => p.kind === kind);
  const target = dialog && "principal" in dialog ? dialog.principal : null;

  return (
    <section className="space-y-3" aria-label={copy.title}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-lg font-semibold">{copy.title}</h2>
        <Button tone="primary" onClick={() => open({ kind: "create" })}>{copy.create}</Button>
      </div>
      {notice && <p role="status" className="text-sm text-emerald-700 dark:text-emerald-300">{notice}</p>}
      {created && <TokenSecret created={created} onDismiss={() => setCreated(null)} />}
      <ErrorText error={list.error} />
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <table aria-label={copy.title} className="min-w-full text-sm">
          <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500 dark:bg-slate-800/50 dark:text-slate-400">
            <tr>
              <th className="px-4 py-2">{kind === "user" ? "User" : "Account"}</th><th className="px-4 py-2">Roles</th>
              <th className="px-4 py-2">Other scopes</th><th className="px-4 py-2">Sign-in</th><th className="px-4 py-2">State</th>
              <th className="px-4 py-2 text-right">Actions</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {rows?.map((p) => {
              const self = p.id === me?.id ? "This is you: another admin can do this." : undefined;
              return (
                <tr key={p.id} data-principal={p.id} className="align-top">
                  <td className="px-4 py-2">
                    <div className="font-medium">{p.displayName}</div>
                    <div className="font-mono text-xs text-slate-500">{p.id}</div>
                  </td>
                  <td className="px-4 py-2"><RoleNames scopes={p.scopes} /></td>
                  <td className="px-4 py-2"><ScopeList scopes={p.scopes} only="extra" /></td>
                  <td className="px-4 py-2 text-xs">{signInKind(p)}</td>
                  <td className="px-4 py-2"><PrincipalState p={p} /></td>
                  <td className="px-4 py-2">
                    <div className="flex flex-wrap justify-end gap-2">
                      <Button onClick={() => open({ kind: "edit", principal: p })}>Edit</Button>
                      {p.kind === "user" && <Button onClick={() => open({ kind: "password", principal: p })}>Reset password</Button>}
                      {p.kind === "service" && <Button onClick={() => open({ kind: "token", principal: p })}>New token</Button>}
                      {p.disabled
                        ? <Button onClick={() => update.mutate({ id: p.id, disabled: false })} disabled={update.isPending}>Enable</Button>
                        : <Button onClick={() => open({ kind: "disable", principal: p })} disabled={self !== undefined} title={self}>Disable</Button>}
                      <Button onClick={() => open({ kind: "delete", principal: p })} disabled={self !== undefined} title={self}>Delete</Button>
                    </div>
                  </td>
                </tr>
              );
            })}
            {rows?.length === 0 && <tr><td colSpan={6} className="px-4 py-8 text-center text-slate-500">{copy.empty}</td></tr>}
            {list.isLoading && <tr><td colSpan={6} className="px-4 py-8 text-center text-slate-500">Loading…</td></tr>}
          </tbody>
        </table>
      </div>

      <Modal open={dialog?.kind === "create"} title={copy.create} onClose={close}>
        <CreatePrincipalForm kind={kind} busy={create.isPending} error={create.error} onCancel={close} onSubmit={(p) => create.mutate(p)} />
      </Modal>
      <Modal open={dialog?.kind === "edit"} title={`Edit ${target?.id ?? ""}`} onClose={close}>
        {target && <EditPrincipalForm principal={target} busy={update.isPending} error={update.error} onCancel={close}
          onSubmit={(patch) => update.mutate({ id: target.id, ...patch })} />}
      </Modal>
      <Modal open={dialog?.kind === "password"} title={`Reset the password of ${target?.id ?? ""}`} onClose={close}>
        <PasswordForm busy={update.isPending} error={update.error} onCancel={close} onSubmit={(password) => update.mutate({ id: target!.id, password })} />
      </Modal>
      <Modal open={dialog?.kind === "token"} title={`New token for ${target?.id ?? ""}`} onClose={close}>
        {target && <CreateTokenForm defaultScopes={[]} busy={token.isPending} error={token.error} onCancel={close}
          hint="Within your own scopes, and cut to the account's scopes whenever it is used."
          onSubmit={(t) => token.mutate({ ...t, principalId: target.id })} />}
      </Modal>
      <ConfirmDialog open={dialog?.kind === "disable"} title={`Disable ${target?.id ?? ""}?`} confirmLabel="Disable" tone="danger" onClose={close}
        busy={update.isPending} error={update.error} onConfirm={() => update.mutate({ id: target!.id, disabled: true })}
        message="Its sessions end now and its API tokens stop working until it is enabled again." />
      <ConfirmDialog open={dialog?.kind === "delete"} title={`Delete ${target?.id ?? ""}?`} confirmLabel={`Delete ${copy.noun}`} tone="danger" onClose={close}
        busy={remove.isPending} error={remove.error} onConfirm={() => remove.mutate({ id: target!.id })}
        message={`The ${copy.noun}, its sessions and its API tokens are deleted. This cannot be undone; disabling can be.`} />
    </section>
  );
}

function signInKind(p: Principal): string {
  if (p.kind === "service") return "API tokens";
  const ways = [p.hasPassword && "password", p.singleSignOn && "single sign-on"].filter(Boolean);
  return ways.length ? ways.join(", ") : "none (no password, no single sign-on)";
}

function PrincipalState({ p }: { p: Principal }) {
  const locked = p.lockedUntilTimestampMillis !== null && p.lockedUntilTimestampMillis > Date.now();
  return (
    <div className="flex flex-col items-start gap-1">
      {p.disabled ? <Badge state="DISABLED">disabled</Badge> : <Badge state="SUCCEEDED">active</Badge>}
      {locked && <span className="text-xs text-amber-700 dark:text-amber-300">locked until <Time ms={p.lockedUntilTimestampMillis} relative={false} /></span>}
    </div>
  );
}
