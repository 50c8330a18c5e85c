"use client";
import type { AlertRuleInfo } from "@hourglass/engine/alerts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useParams, useRouter, useSearchParams } from "next/navigation";
import { Suspense, useState } from "react";
import { DELIVERY_BADGE, DeliveryHistory } from "@/components/alerts/delivery-history";
import { RuleForm } from "@/components/alerts/rule-form";
import { Badge, Button, Card, ConfirmDialog, ErrorText, Modal, Time } from "@/components/ui";
import { describeRule } from "@/lib/alert-form";
import { useCan } from "@/lib/can";
import { useLive } from "@/lib/live";
import { need } from "@/lib/permissions";
import { useTRPC } from "@/lib/trpc";

const SELECTED = "bg-indigo-50/60 dark:bg-indigo-950/30";
const LINK = "text-indigo-700 hover:underline dark:text-indigo-300";

export default function ProjectAlertsPage() {
  return <Suspense><ProjectAlerts /></Suspense>;
}

type Dialog = { kind: "create" } | { kind: "edit"; rule: AlertRuleInfo } | { kind: "delete"; rule: AlertRuleInfo } | null;

/** A project's alert rules: create, edit, delete, send a test; the selected rule's delivery history below. */
function ProjectAlerts() {
  const { project } = useParams<{ project: string }>();
  const selected = useSearchParams().get("rule");
  const router = useRouter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const can = useCan();
  const cannotManage = can.missing(need.alerts("manage", project));
  /** A write button: disabled, saying which scope is missing, for a caller who may not manage the project's alerts. */
  const manage = { disabled: cannotManage !== undefined, title: cannotManage };
  const rules = useQuery(trpc.alerts.list.queryOptions({ project }));
  useLive([{ filter: { projects: [project], entityKinds: ["alert_rule"] }, invalidate: [trpc.alerts.pathFilter()] }]);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const done = (message: string) => async () => {
    await queryClient.invalidateQueries(trpc.alerts.pathFilter());
    setDialog(null);
    setNotice(message);
  };
  const create = useMutation(trpc.alerts.create.mutationOptions({
    onSuccess: async (r) => (await done(`Rule "${r.name}" created.`)(), router.replace(`/alerts/${project}?rule=${r.id}`)),
  }));
  const update = useMutation(trpc.alerts.update.mutationOptions({ onSuccess: (r) => done(`Rule "${r.name}" saved.`)() }));
  const remove = useMutation(trpc.alerts.delete.mutationOptions({
    onSuccess: async () => (await done("Rule deleted.")(), router.replace(`/alerts/${project}`)),
  }));
  const test = useMutation(trpc.alerts.sendTest.mutationOptions({
    onSuccess: (d) => done(`Test notification ${d.id} queued; its delivery appears below.`)(),
  }));
  const chosen = rules.data?.find((r) => r.id === selected) ?? null;
  const editing = dialog?.kind === "edit" ? dialog.rule : null;

  return (
    <div className="space-y-4">
      <nav className="text-sm text-slate-500"><Link href="/alerts" className="hover:underline">Alerts</Link> / {project}</nav>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Alerts of {project}</h1>
        <Button tone="primary" onClick={() => (create.reset(), setDialog({ kind: "create" }))} {...manage}>New rule</Button>
      </div>
      {notice && <p role="status" className="text-sm text-emerald-700 dark:text-emerald-300">{notice}</p>}
      <ErrorText error={rules.error ?? test.error} />
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <table className="min-w-full text-sm" aria-label="Alert rules">
          <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500 dark:bg-slate-800/50 dark:text-slate-400">
            <tr>
              {["Rule", "Watches", "Notifies", "Window", "Last notification"].map((h) => <th key={h} className="px-4 py-2">{h}</th>)}
              <th className="px-4 py-2 text-right">Actions</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {rules.data?.map((r) => (
              <tr key={r.id} data-rule={r.name} aria-selected={r.id === selected} className={r.id === selected ? SELECTED : undefined}>
                <td className="px-4 py-2 font-medium">
                  <Link className={LINK} href={`/alerts/${project}?rule=${r.id}`}>{r.name}</Link>
                  {!r.enabled && <span className="ml-2"><Badge state="DISABLED">disabled</Badge></span>}
                </td>
                <td className="px-4 py-2">{describeRule(r)}</td>
                <td className="px-4 py-2 break-all">{r.channel.kind === "webhook" ? r.channel.url : `email ${r.channel.to.join(", ")}`}</td>
                <td className="px-4 py-2">{r.collapseWindowMillis === 0 ? "none" : `${r.collapseWindowMillis / 60_000} min`}</td>
                <td className="px-4 py-2">
                  {r.lastDelivery
                    ? <><Badge state={DELIVERY_BADGE[r.lastDelivery.state]}>{r.lastDelivery.state}</Badge> <Time ms={r.lastDelivery.atMillis} /></>
                    : <span className="text-slate-400">—</span>}
                </td>
                <td className="px-4 py-2">
                  <div className="flex justify-end gap-2">
                    <Button onClick={() => test.mutate({ id: r.id })} {...manage} disabled={manage.disabled || test.isPending}>Send test</Button>
                    <Button onClick={() => (update.reset(), setDialog({ kind: "edit", rule: r }))} {...manage}>Edit</Button>
                    <Button onClick={() => (remove.reset(), setDialog({ kind: "delete", rule: r }))} {...manage}>Delete</Button>
                  </div>
                </td>
              </tr>
            ))}
            {rules.data && rules.data.length === 0 && (
              <tr><td colSpan={6} className="px-4 py-8 text-center text-slate-500">No alert rules in {project} yet.</td></tr>
            )}
          </tbody>
        </table>
      </div>

      {chosen && (
        <Card title={`Deliveries of ${chosen.name}`}>
          <DeliveryHistory ruleId={chosen.id} />
        </Card>
      )}

      <Modal open={dialog?.kind === "create"} title={`New alert rule in ${project}`} onClose={() => setDialog(null)}>
        <RuleForm busy={create.isPending} error={create.error} onCancel={() => setDialog(null)}
          onSubmit={(rule) => create.mutate({ ...rule, project })} />
      </Modal>
      <Modal open={dialog?.kind === "edit"} title={`Edit ${editing?.name ?? ""}`} onClose={() => setDialog(null)}>
        {dialog?.kind === "edit" && (
          <RuleForm rule={dialog.rule} busy={update.isPending} error={update.error} onCancel={() => setDialog(null)}
            onSubmit={(rule) => update.mutate({ id: dialog.rule.id, rule })} />
        )}
      </Modal>
      <ConfirmDialog open={dialog?.kind === "delete"} title={`Delete ${dialog?.kind === "delete" ? dialog.rule.name : ""}?`}
        message="The rule and its delivery history are deleted; notifications not yet sent are dropped. This cannot be undone."
        confirmLabel="Delete rule" tone="danger" busy={remove.isPending} error={remove.error} onClose={() => setDialog(null)}
        onConfirm={() => dialog?.kind === "delete" && remove.mutate({ id: dialog.rule.id })} />
    </div>
  );
}
