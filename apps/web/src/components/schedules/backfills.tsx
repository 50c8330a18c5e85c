"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { BACKFILL_STATE_DOC, type BackfillState } from "@hourglass/engine/states";
import { Progress } from "@/components/progress";
import { Badge, Button, Card, Time } from "@/components/ui";
import { useTRPC } from "@/lib/trpc";

/**
 * A job's backfills, newest first, each a batch of invocations with its
 * progress (ended of total slots, outcomes, skipped); "Slots" opens one
 * backfill's slots and links each to its invocation. Live through the job
 * page's topics (its invocations' events).
 */
export function Backfills({ project, id }: { project: string; id: string }) {
  const trpc = useTRPC();
  const key = `${project}/${id}`;
  const list = useQuery(trpc.scheduler.getBackfills.queryOptions({ job: key, pageSize: 10 }));
  const [openId, setOpenId] = useState<string | null>(null);
  const rows = list.data?.backfills ?? [];
  if (rows.length === 0) return null;
  return (
    <Card title="Backfills">
      <ul className="space-y-3 text-sm" data-testid="backfills">
        {rows.map((b) => {
          const ended = b.succeeded + b.failed + b.aborted;
          return (
            <li key={b.id} data-backfill={b.id} className="space-y-1">
              <div className="flex flex-wrap items-center gap-2">
                <span className="font-mono">#{b.id}</span>
                <span title={BACKFILL_STATE_DOC[b.state as BackfillState]}><Badge state={b.state === "DONE" ? "SUCCEEDED" : b.state}>{b.state}</Badge></span>
                <span><Time ms={b.fromTimestampMillis} relative={false} /> → <Time ms={b.toTimestampMillis} relative={false} /></span>
                <span className="text-slate-500">{b.overlap} · by {b.createdBy} <Time ms={b.createdTimestampMillis} /></span>
                <Button className="ml-auto" onClick={() => setOpenId(openId === b.id ? null : b.id)} aria-expanded={openId === b.id}>
                  {openId === b.id ? "Hide slots" : "Slots"}
                </Button>
              </div>
              {b.reason && <p className="text-slate-600 dark:text-slate-300">“{b.reason}”</p>}
              <div className="flex flex-wrap items-center gap-3">
                <Progress done={ended + b.skipped} total={b.slots} />
                <span data-testid="backfill-counts" className="text-xs text-slate-500">
                  {b.succeeded} succeeded · {b.failed} failed · {b.aborted} aborted · {b.active} running · {b.pending} waiting · {b.skipped} skipped
                </span>
              </div>
              {openId === b.id && <BackfillSlots project={project} id={id} backfillId={b.id} />}
            </li>
          );
        })}
      </ul>
    </Card>
  );
}

function BackfillSlots({ project, id, backfillId }: { project: string; id: string; backfillId: string }) {
  const trpc = useTRPC();
  const one = useQuery(trpc.scheduler.getBackfill.queryOptions({ job: `${project}/${id}`, backfillId }));
  if (!one.data) return null;
  return (
    <ol className="grid gap-1 pl-2 text-xs sm:grid-cols-2">
      {one.data.slotList.map((s) => (
        <li key={s.slotTimestampMillis} data-slot-state={s.state} className="flex items-center gap-2">
          <Time ms={s.slotTimestampMillis} relative={false} />
          {s.invocationId ? (
            <Link className="text-indigo-700 hover:underline dark:text-indigo-300" href={`/jobs/${project}/${id}/${s.invocationId}`}>
              <Badge state={s.invocationState ?? s.state}>{`#${s.invocationId} ${s.invocationState ?? ""}`}</Badge>
            </Link>
          ) : <Badge state={s.state} />}
        </li>
      ))}
    </ol>
  );
}
