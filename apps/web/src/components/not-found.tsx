import Link from "next/link";
import { isNotFound } from "@/lib/not-found";
import { ErrorText } from "./ui";

/** A page's answer for a resource that does not exist (or that the caller may not see: the same answer). */
export function NotFound({ what, name, back }: { what: string; name: string; back?: { href: string; label: string } }) {
  return (
    <section data-testid="not-found" role="status" className="rounded-lg border border-slate-200 bg-white p-6 dark:border-slate-800 dark:bg-slate-900">
      <h1 className="text-xl font-semibold">{what[0]!.toUpperCase() + what.slice(1)} not found</h1>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">
        There is no {what} <span className="font-mono">{name}</span>, or you may not see it.
      </p>
      {back && <p className="mt-3 text-sm"><Link className="text-indigo-700 hover:underline dark:text-indigo-300" href={back.href}>{back.label}</Link></p>}
    </section>
  );
}

/** A query's error: "not found" as a page of its own, anything else as an alert. */
export function LoadError({ error, what, name, back }: { error: unknown; what: string; name: string; back?: { href: string; label: string } }) {
  if (isNotFound(error)) return <NotFound what={what} name={name} back={back} />;
  return <ErrorText error={error} />;
}
