"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Suspense, useState } from "react";
import { BulkBar } from "@/components/bulk-bar";
import { Progress } from "@/components/progress";
import { useRequestBulk } from "@/components/request-bulk";
import { PageCheckbox, RowCheckbox, useSelection } from "@/components/selection";
import { RequestFilters } from "@/components/requests/request-filters";
import { Badge, Button, ErrorText, Field, Modal, Time } from "@/components/ui";
import { useCan } from "@/lib/can";
import { need } from "@/lib/permissions";
import { useLive } from "@/lib/live";
import { useTRPC } from "@/lib/trpc";
import { useRangeBounds, useRequestsQuery } from "@/lib/url-state";

/** Requests: Spin Cycle's find with its filters (kept in the URL), newest first, and a Start form generated from each spec's args. */
export default function RequestsPage() {
  return <Suspense><RequestList /></Suspense>;
}

function RequestList() {
  const trpc = useTRPC();
  const [query, setQuery] = useRequestsQuery();
  const [starting, setStarting] = useState(false);
  const limit = 50;
  const offset = (Math.max(1, query.page) - 1) * limit;
  const range = useRangeBounds(query, JSON.stringify([query.type, query.states, query.user, query.args]));
  const found = useQuery({
    ...trpc.requests.find.queryOptions({
      type: query.type || undefined, states: query.states, user: query.user || undefined, args: query.args,
      since: range.since, until: range.until, limit, offset,
    }),
    enabled: range.problem === undefined,
  });
  const specs = useQuery(trpc.requests.specs.queryOptions());
  const rows = found.data?.requests ?? [];
  const selection = useSelection(rows.map((r) => r.id), JSON.stringify(query));
  const bulk = useRequestBulk(
    { type: query.type || undefined, states: query.states, user: query.user || undefined, args: query.args, since: range.since, until: range.until },
    rows.filter((r) => selection.isSelected(r.id)), selection.count > 0 || selection.allMatching,
  );
  // a request's state and its progress (its chain jobs finishing)
  useLive([{ filter: { entityKinds: ["request", "chain_job"] }, invalidate: [trpc.requests.find.queryFilter()] }]);
  const can = useCan();
  const startable = specs.data?.requests.filter((r) => can.allows(need.request("start", { project: r.project, type: r.name })));
  const cannotStart = !can.ready ? can.missing({ AllOf: [] }) : startable?.length === 0 ? "missing scope requests:start for every request type" : undefined;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">Requests</h1>
        <Button tone="primary" onClick={() => setStarting(true)} disabled={cannotStart !== undefined} title={cannotStart}>Start a request</Button>
      </div>
      {specs.data && specs.data.errors.length > 0 && (
        <div role="alert" className="rounded-md bg-rose-50 p-3 text-sm text-rose-800 dark:bg-rose-950 dark:text-rose-200">
          <p className="font-semibold">Some request specs are invalid and are not offered:</p>
          <ul className="mt-1 list-disc pl-5 font-mono text-xs">{specs.data.errors.map((e, i) => <li key={i}>{e.file}:{e.line}: {e.message}</li>)}</ul>
        </div>
      )}
      <RequestFilters types={specs.data?.requests.map((r) => r.name) ?? []} rangeProblem={range.problem} />
      <ErrorText error={found.error} />
      <BulkBar selection={selection} pageSize={rows.length} matching={bulk.matching} noun="requests" actions={bulk.actions}
        noFilterReason={query.type ? undefined : "choose a request type to act on every request the filter matches"} />
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <table className="min-w-full text-sm">
          <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500 dark:bg-slate-800/50 dark:text-slate-400">
            <tr><th className="w-8 px-3 py-2"><PageCheckbox selection={selection} /></th><th className="px-4 py-2">Request</th><th className="px-4 py-2">Type</th><th className="px-4 py-2">State</th><th className="px-4 py-2">Progress</th><th className="px-4 py-2">User</th><th className="px-4 py-2">Created</th></tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {found.data?.requests.map((r) => (
              <tr key={r.id} data-request={r.id}>
                <td className="px-3 py-2"><RowCheckbox selection={selection} rowKey={r.id} label={`request ${r.id}`} /></td>
                <td className="px-4 py-2 font-mono"><Link className="text-indigo-700 hover:underline dark:text-indigo-300" href={`/requests/${r.id}`}>{r.id}</Link></td>
                <td className="px-4 py-2">{r.type}</td>
                <td className="px-4 py-2"><Badge state={r.state} /></td>
                <td className="px-4 py-2"><Progress done={r.finishedJobs} total={r.totalJobs} /></td>
                <td className="px-4 py-2">{r.user}</td>
                <td className="px-4 py-2"><Time ms={r.createdAt} /></td>
              </tr>
            ))}
            {found.data?.requests.length === 0 && <tr><td colSpan={7} className="px-4 py-6 text-center text-slate-500">No requests match.</td></tr>}
          </tbody>
        </table>
      </div>
      <div className="flex gap-2">
        <Button disabled={offset === 0} onClick={() => void setQuery({ page: Math.max(1, query.page - 1) })}>Newer</Button>
        <Button disabled={!found.data?.more} onClick={() => void setQuery({ page: query.page + 1 })}>Older</Button>
        <span className="self-center text-sm text-slate-500">Page {query.page}</span>
      </div>
      <StartRequest open={starting} onClose={() => setStarting(false)} />
    </div>
  );
}

/** The start form: pick a type; its args follow, required first, defaults shown. */
function StartRequest({ open, onClose }: { open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const client = useQueryClient();
  const specs = useQuery(trpc.requests.specs.queryOptions());
  const [type, setType] = useState("");
  const [args, setArgs] = useState<Record<string, string>>({});
  const spec = specs.data?.requests.find((r) => r.name === type);
  const can = useCan();
  const cannot = (r: { project: string; name: string }) => can.missing(need.request("start", { project: r.project, type: r.name }));
  const cannotStart = spec ? cannot(spec) : undefined;
  const create = useMutation(trpc.requests.create.mutationOptions({
    onSuccess: (r) => {
      void client.invalidateQueries({ queryKey: trpc.requests.find.queryKey() });
      onClose();
      router.push(`/requests/${r.id}`);
    },
  }));
  const submit = () => {
    const given = Object.fromEntries(Object.entries(args).filter(([k, v]) => v !== "" && spec?.args.some((a) => a.name === k)));
    create.mutate({ type, args: given, start: true });
  };
  return (
    <Modal open={open} title="Start a request" onClose={onClose}>
      <form className="space-y-3" onSubmit={(e) => (e.preventDefault(), submit())}>
        <Field label="Request type">
          <select aria-label="Request type" className="w-full rounded border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900" value={type} onChange={(e) => (setType(e.target.value), setArgs({}), create.reset())}>
            <option value="">choose…</option>
            {specs.data?.requests.map((r) => (
              <option key={r.name} value={r.name} disabled={can.ready && cannot(r) !== undefined} title={can.ready ? cannot(r) : undefined}>
                {r.name}{!can.ready || cannot(r) === undefined ? "" : " (not allowed)"}
              </option>
            ))}
          </select>
        </Field>
        {spec?.description && <p className="text-sm text-slate-500">{spec.description}</p>}
        {spec?.args.map((a) => (
          <Field key={a.name} label={`${a.name}${a.kind === "required" ? " (required)" : ""}`} hint={[a.desc, a.default !== null ? `default: ${a.default}` : ""].filter(Boolean).join(" · ") || undefined}>
            <input aria-label={a.name} required={a.kind === "required"} placeholder={a.default ?? ""} className="w-full rounded border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
              value={args[a.name] ?? ""} onChange={(e) => setArgs({ ...args, [a.name]: e.target.value })} />
          </Field>
        ))}
        <ErrorText error={create.error} />
        <div className="flex justify-end gap-2">
          <Button type="button" onClick={onClose}>Cancel</Button>
          <Button tone="primary" type="submit" disabled={!spec || create.isPending || cannotStart !== undefined} title={cannotStart}>Start</Button>
        </div>
      </form>
    </Modal>
  );
}
