"use client";
import { useState } from "react";
import { Button } from "../ui";
import type { CreatedToken } from "./types";

/**
 * A new token's secret, shown this once (the server keeps only its hash), in
 * both forms: a Bearer header and Taskcluster's clientId / accessToken.
 */
export function TokenSecret({ created, onDismiss }: { created: CreatedToken; onDismiss: () => void }) {
  return (
    <section aria-label="New token" data-testid="token-secret"
      className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm dark:border-amber-700 dark:bg-amber-950/40">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h3 className="font-semibold">Token “{created.info.name}” created</h3>
          <p role="alert" className="text-amber-900 dark:text-amber-200">
            Copy the secret now: it is shown only once and cannot be read again. Whoever has it can act as {created.info.principalId} within the token&apos;s scopes.
          </p>
        </div>
        <Button onClick={onDismiss}>I have copied it</Button>
      </div>
      <Secret label="Authorization header" value={`Authorization: Bearer ${created.token}`} testId="token-header" />
      <Secret label="Token" value={created.token} testId="token-value" />
      <div className="grid gap-3 md:grid-cols-2">
        <Secret label="Taskcluster clientId" value={created.clientId} testId="token-client-id" />
        <Secret label="Taskcluster accessToken" value={created.accessToken} testId="token-access-token" />
      </div>
    </section>
  );
}

function Secret({ label, value, testId }: { label: string; value: string; testId: string }) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied("yes");
    } catch {
      setCopied("failed"); // no clipboard (an insecure origin, or refused): the field is selectable
    }
  };
  return (
    <div>
      <div className="mb-1 text-xs font-medium uppercase tracking-wide text-slate-500">{label}</div>
      <div className="flex gap-2">
        <input readOnly aria-label={label} data-testid={testId} value={value} onFocus={(e) => e.target.select()}
          className="min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-2 py-1 font-mono text-xs dark:border-slate-700 dark:bg-slate-950" />
        <Button onClick={copy} aria-label={`Copy ${label}`}>{copied === "yes" ? "Copied" : copied === "failed" ? "Select and copy" : "Copy"}</Button>
      </div>
    </div>
  );
}
