"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { TokensTable } from "@/components/access/tokens-table";
import { ErrorText } from "@/components/ui";
import { useLive } from "@/lib/live";
import { useTRPC } from "@/lib/trpc";

/** Every API token of every user and service account. */
export default function AllTokensPage() {
  const trpc = useTRPC();
  const tokens = useQuery(trpc.access.listTokens.queryOptions({ all: true }));
  useLive([{ filter: { entityKinds: ["token", "principal"] }, invalidate: [trpc.access.listTokens.queryFilter()] }]);
  return (
    <section className="space-y-3" aria-label="All tokens">
      <div>
        <h2 className="text-lg font-semibold">Tokens</h2>
        <p className="text-sm text-slate-500">
          Every API token, newest first. Make your own on <Link className="text-indigo-700 hover:underline dark:text-indigo-300" href="/tokens">My tokens</Link>, and
          a service account&apos;s from <Link className="text-indigo-700 hover:underline dark:text-indigo-300" href="/access/service-accounts">Service accounts</Link>.
        </p>
      </div>
      <ErrorText error={tokens.error} />
      <TokensTable tokens={tokens.data} loading={tokens.isLoading} showOwner empty="No tokens yet." />
    </section>
  );
}
