"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { QueueForm } from "@/components/queue-form";
import { QueueExists } from "@/components/queue-exists";
import { QueueTable } from "@/components/queue-table";
import { Button, ErrorText, Modal } from "@/components/ui";
import { useLive } from "@/lib/live";
import { createInput } from "@/lib/queue-settings";
import { useTRPC } from "@/lib/trpc";

export default function QueuesPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const queues = useQuery(trpc.queues.getQueueSummaries.queryOptions());
  useLive([{ filter: { entityKinds: ["queue", "queue_job"] }, invalidate: [trpc.queues.getQueueSummaries.queryFilter()] }]);
  const [creating, setCreating] = useState(false);
  // createQueue is idempotent (PinLater): an existing queue comes back unchanged, which the form says
  const [exists, setExists] = useState<string | null>(null);
  const create = useMutation(
    trpc.queues.createQueue.mutationOptions({
      onSuccess: async (r) => {
        if (!r.created) return setExists(r.queue.name);
        await queryClient.invalidateQueries({ queryKey: trpc.queues.pathKey() });
        setCreating(false);
        router.push(`/queues/${r.queue.name}`);
      },
    }),
  );
  const user = queues.data?.filter((q) => !q.system);
  const system = queues.data?.filter((q) => q.system);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Queues</h1>
        <Button tone="primary" onClick={() => (create.reset(), setExists(null), setCreating(true))}>Create queue</Button>
      </div>
      <ErrorText error={queues.error} />
      <QueueTable label="Queues" queues={user} loading={queues.isLoading} empty="No queues yet. Create one, or call createQueue." />
      <p className="text-xs text-slate-500">Counts are capped at {(10_000).toLocaleString()} per state and priority so this page stays fast on any queue size; a queue&apos;s page splits them by priority.</p>
      {system && system.length > 0 && (
        <section aria-labelledby="system-queues" className="space-y-2 pt-4">
          <h2 id="system-queues" className="text-lg font-semibold">System queues</h2>
          <p className="text-sm text-slate-500">
            Hourglass&apos;s own queues: their jobs carry scheduler invocations and chain jobs, which are the records.
            They are read-only here and in the API; the engine creates and runs them.
          </p>
          <QueueTable label="System queues" queues={system} loading={false} empty="" />
        </section>
      )}
      <Modal open={creating} title="Create queue" onClose={() => setCreating(false)}>
        {exists && <QueueExists name={exists} />}
        <QueueForm busy={create.isPending} error={create.error} onCancel={() => setCreating(false)}
          onSubmit={(f) => (setExists(null), create.mutate(createInput(f)))} />
      </Modal>
    </div>
  );
}
