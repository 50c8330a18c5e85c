"use client";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { signIn, signInErrorMessage } from "@/lib/session";
import { Button, ErrorText, Field, inputClass } from "./ui";

/** Login and password; on success a full load of `next` (a path of this dashboard, checked by the page). */
export function SignInForm({ next }: { next: string }) {
  const [login, setLogin] = useState("");
  const [password, setPassword] = useState("");
  const attempt = useMutation({
    mutationFn: () => signIn(login, password),
    onSuccess: () => window.location.replace(next),
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    attempt.mutate();
  }

  return (
    <section className="mx-auto mt-12 max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <h1 className="mb-5 text-xl font-semibold">Sign in</h1>
      <form onSubmit={submit} aria-label="Sign in" className="space-y-4">
        <Field label="Login">
          <input className={inputClass} name="username" autoComplete="username" value={login} onChange={(e) => setLogin(e.target.value)} required autoFocus />
        </Field>
        <Field label="Password">
          <input
            className={inputClass}
            type="password"
            name="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </Field>
        <ErrorText error={attempt.error && signInErrorMessage(attempt.error)} />
        <Button tone="primary" type="submit" className="w-full" disabled={attempt.isPending || attempt.isSuccess}>
          {attempt.isPending || attempt.isSuccess ? "Signing in…" : "Sign in"}
        </Button>
      </form>
    </section>
  );
}
