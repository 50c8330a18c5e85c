import Link from "next/link";

/** What creating a queue says when the name is taken: nothing was changed, and where the existing queue is. */
export function QueueExists({ name }: { name: string }) {
  return (
    <p role="alert" data-testid="queue-exists" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
      A queue named <b>{name}</b> already exists; nothing was created or changed.{" "}
      <Link className="font-medium underline" href={`/queues/${name}`}>Open {name}</Link> or choose another name.
    </p>
  );
}
