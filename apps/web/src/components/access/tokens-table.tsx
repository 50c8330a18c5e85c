"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc";
import { Badge, Button, ConfirmDialog, Time } from "../ui";
import { ScopeList } from "./scope-list";
import type { Token } from "./types";

/** Tokens with when they were made, expire and were last used; a live one can be revoked (after a confirmation). */
export function TokensTable({ tokens, loading, showOwner, empty }: { tokens: Token[] | undefined; loading: boolean; showOwner: boolean; empty: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [revoking, setRevoking] = useState<Token | null>(null);
  const revoke = useMutation(trpc.access.revokeToken.mutationOptions({
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: trpc.access.listTokens.pathKey() });
      setRevoking(null);
    },
  }));
  const columns = showOwner ? 8 : 7;
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <table aria-label="Tokens" className="min-w-full text-sm">
        <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500 dark:bg-slate-800/50 dark:text-slate-400">
          <tr>
            <th className="px-4 py-2">Token</th>
            {showOwner && <th className="px-4 py-2">Owner</th>}
            <th className="px-4 py-2">Scopes</th><th className="px-4 py-2">Created</th><th className="px-4 py-2">Expires</th>
            <th className="px-4 py-2">Last used</th><th className="px-4 py-2">State</th><th className="px-4 py-2 text-right">Actions</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {tokens?.map((t) => {
            const state = tokenState(t);
            return (
              <tr key={t.id} data-token={t.id} className="align-top">
                <td className="px-4 py-2"><div className="font-medium">{t.name}</div><div className="font-mono text-xs text-slate-500">{t.id}</div></td>
                {showOwner && <td className="px-4 py-2 font-mono text-xs">{t.principalId}{t.createdBy !== t.principalId && <div className="text-slate-500">made by {t.createdBy}</div>}</td>}
                <td className="px-4 py-2"><ScopeList scopes={t.scopes} /></td>
                <td className="px-4 py-2"><Time ms={t.createdAtTimestampMillis} /></td>
                <td className="px-4 py-2">{t.expiresAtTimestampMillis === null ? <span className="text-slate-500">never</span> : <Time ms={t.expiresAtTimestampMillis} />}</td>
                <td className="px-4 py-2">{t.lastUsedAtTimestampMillis === null ? <span className="text-slate-500">never</span> : <Time ms={t.lastUsedAtTimestampMillis} />}</td>
                <td className="px-4 py-2">
                  <Badge state={state === "active" ? "SUCCEEDED" : "DISABLED"}>{state}</Badge>
                  {t.revokedAtTimestampMillis !== null && <div className="mt-1 text-xs text-slate-500"><Time ms={t.revokedAtTimestampMillis} />{t.revokedBy && ` by ${t.revokedBy}`}</div>}
                </td>
                <td className="px-4 py-2 text-right">
                  {t.revokedAtTimestampMillis === null && <Button onClick={() => (revoke.reset(), setRevoking(t))}>Revoke</Button>}
                </td>
              </tr>
            );
          })}
          {tokens?.length === 0 && <tr><td colSpan={columns} className="px-4 py-8 text-center text-slate-500">{empty}</td></tr>}
          {loading && <tr><td colSpan={columns} className="px-4 py-8 text-center text-slate-500">Loading…</td></tr>}
        </tbody>
      </table>
      <ConfirmDialog open={revoking !== null} title={`Revoke token “${revoking?.name ?? ""}”?`} confirmLabel="Revoke token" tone="danger"
        message="Calls made with it are refused from now on (401). This cannot be undone: make a new token instead."
        busy={revoke.isPending} error={revoke.error} onClose={() => setRevoking(null)} onConfirm={() => revoke.mutate({ id: revoking!.id })} />
    </div>
  );
}

function tokenState(t: Token): "active" | "revoked" | "expired" {
  if (t.revokedAtTimestampMillis !== null) return "revoked";
  if (t.expiresAtTimestampMillis !== null && t.expiresAtTimestampMillis <= Date.now()) return "expired";
  return "active";
}
