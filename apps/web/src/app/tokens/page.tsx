"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { CreateTokenForm } from "@/components/access/token-form";
import { TokenSecret } from "@/components/access/token-secret";
import { TokensTable } from "@/components/access/tokens-table";
import type { CreatedToken } from "@/components/access/types";
import { Card, ErrorText } from "@/components/ui";
import { tokenDefaults } from "@/lib/bindings";
import { useWhoami } from "@/lib/session";
import { useLive } from "@/lib/live";
import { useTRPC } from "@/lib/trpc";

/**
 * The signed-in user's own API tokens: for the CLI and programs, as
 * `Authorization: Bearer hg_…` or Taskcluster's clientId / accessToken.
 * A token can do at most what its owner can, now and at every use.
 */
export default function MyTokensPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useWhoami();
  const tokens = useQuery(trpc.access.listTokens.queryOptions({}));
  // token events are seen by access administrators; anyone else's list changes by their own actions here
  useLive([{ filter: { entityKinds: ["token"] }, invalidate: [trpc.access.listTokens.queryFilter()] }]);
  const held = me.data?.scopes;
  const bindings = held?.filter((s) => s.startsWith("assume:")) ?? [];
  const granted = useQuery({ ...trpc.access.expandScopes.queryOptions({ scopes: bindings }), enabled: held !== undefined, refetchInterval: false });
  const defaults = held && granted.data ? tokenDefaults(held, granted.data.scopes) : null;
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [formKey, setFormKey] = useState(0);
  const create = useMutation(trpc.access.createToken.mutationOptions({
    onSuccess: async (t) => {
      setCreated(t);
      setFormKey((k) => k + 1); // a fresh form: the next token starts from the defaults again
      await queryClient.invalidateQueries({ queryKey: trpc.access.listTokens.pathKey() });
    },
  }));
  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-2xl font-semibold">My tokens</h1>
        <p className="text-sm text-slate-500">API tokens act as you ({me.data?.id ?? "…"}) within their scopes, and lose whatever roles you lose.</p>
      </div>
      {created && <TokenSecret created={created} onDismiss={() => setCreated(null)} />}
      <Card title="New token">
        {defaults ? (
          <CreateTokenForm key={formKey} defaultScopes={defaults} busy={create.isPending} error={create.error}
            onSubmit={(t) => (create.reset(), create.mutate(t))} />
        ) : <ErrorText error={me.error ?? granted.error} />}
      </Card>
      <section className="space-y-2" aria-label="My tokens">
        <h2 className="text-lg font-semibold">Your tokens</h2>
        <ErrorText error={tokens.error} />
        <TokensTable tokens={tokens.data} loading={tokens.isLoading} showOwner={false} empty="No tokens yet." />
      </section>
    </div>
  );
}
