import Link from "next/link";

/** Any path the dashboard does not have. */
export default function PageNotFound() {
  return (
    <section data-testid="not-found" className="rounded-lg border border-slate-200 bg-white p-6 dark:border-slate-800 dark:bg-slate-900">
      <h1 className="text-xl font-semibold">Page not found</h1>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">The dashboard has no page at this address.</p>
      <p className="mt-3 text-sm"><Link className="text-indigo-700 hover:underline dark:text-indigo-300" href="/">Home</Link></p>
    </section>
  );
}
