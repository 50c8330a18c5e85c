// The API reference: every procedure of the plain-JSON API from the OpenAPI
// document (/api/openapi.json), generated from the routers, so it lists what
// the server really serves. A server component: nothing here is interactive.
import { appRouter, openApiDocument } from "@hourglass/engine/api";
import { Card } from "@/components/ui";
import { curlOf, operationsByTag, type OperationView } from "@/lib/openapi-view";

export const dynamic = "force-static";
export const metadata = { title: "API reference · Hourglass" };

const doc = openApiDocument(appRouter);

export default function ApiDocsPage() {
  const groups = operationsByTag(doc);
  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold">API reference</h1>
        <a className="text-sm text-sky-700 underline dark:text-sky-400" href="/api/openapi.json">
          OpenAPI 3.1 document (JSON)
        </a>
      </div>
      <p className="max-w-3xl text-sm text-slate-600 dark:text-slate-300">
        Every procedure over plain JSON. Queries:{" "}
        <code>GET /api/trpc/&lt;procedure&gt;?input=&lt;URL-encoded JSON&gt;</code> (or POST with a JSON body);
        mutations: <code>POST /api/trpc/&lt;procedure&gt;</code> with a JSON body. Results come as{" "}
        <code>{"{ result: { data } }"}</code>, failures as{" "}
        <code>{"{ error: { message, data: { errorCode, issues } } }"}</code>. Authenticate with{" "}
        <code>Authorization: Bearer hg_…</code> (a token from <a className="underline" href="/tokens">Tokens</a>).
        TypeScript programs use <code>@hourglass/client</code>; other languages can generate a client from the
        document. The commands below read <code>$HOURGLASS_URL</code> and <code>$HOURGLASS_TOKEN</code>.
      </p>
      <nav aria-label="Routers" className="flex flex-wrap gap-2 text-sm">
        {groups.map((g) => (
          <a key={g.tag} href={`#${g.tag}`} className="rounded-md border border-slate-200 px-2 py-1 dark:border-slate-700">
            {g.tag} <span className="text-slate-500">({g.operations.length})</span>
          </a>
        ))}
      </nav>
      {groups.map((g) => (
        <section key={g.tag} id={g.tag} aria-labelledby={`${g.tag}-title`} className="space-y-2">
          <h2 id={`${g.tag}-title`} className="text-lg font-semibold">{g.tag}</h2>
          <p className="text-sm text-slate-600 dark:text-slate-300">{g.description}</p>
          <Card>
            <ul className="divide-y divide-slate-200 dark:divide-slate-800">
              {g.operations.map((op) => <Operation key={op.id} op={op} />)}
            </ul>
          </Card>
        </section>
      ))}
    </div>
  );
}

function Operation({ op }: { op: OperationView }) {
  return (
    <li id={op.id} className="py-2">
      <details>
        <summary className="flex cursor-pointer flex-wrap items-center gap-2">
          <span className={`w-12 rounded px-1.5 py-0.5 text-center font-mono text-xs font-semibold ${op.method === "GET"
            ? "bg-emerald-100 text-emerald-800 dark:bg-emerald-900 dark:text-emerald-200"
            : "bg-sky-100 text-sky-800 dark:bg-sky-900 dark:text-sky-200"}`}>{op.method}</span>
          <code className="text-sm">{op.id}</code>
          {op.public && <span className="text-xs text-slate-500">no sign-in needed</span>}
        </summary>
        <div className="mt-2 space-y-2 pl-14 text-sm">
          <p className="text-slate-600 dark:text-slate-300">{op.description}</p>
          {op.fields === null ? <p className="text-slate-500">No input.</p> : <Fields fields={op.fields} />}
          <pre className="overflow-x-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-800">
            {curlOf(op, "$HOURGLASS_URL")}
          </pre>
        </div>
      </details>
    </li>
  );
}

function Fields({ fields }: { fields: NonNullable<OperationView["fields"]> }) {
  if (fields.length === 0) return <p className="text-slate-500">An empty object.</p>;
  return (
    <table className="w-full text-left text-xs">
      <thead className="text-slate-500">
        <tr><th className="py-1 pr-3">field</th><th className="pr-3">type</th><th>notes</th></tr>
      </thead>
      <tbody>
        {fields.map((f) => (
          <tr key={f.name} className="align-top">
            <td className="py-1 pr-3 font-mono">{f.name}{f.required ? "" : "?"}</td>
            <td className="break-all pr-3 font-mono">{f.type}</td>
            <td className="text-slate-600 dark:text-slate-300">{f.notes.join("; ")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
