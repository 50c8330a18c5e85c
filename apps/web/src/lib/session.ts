"use client";
// The browser's side of signing in: the calls to /api/session and who is
// signed in (access.whoami).
import type { AppRouter } from "@hourglass/engine/api";
import { useMutation, useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { SIGN_IN_PATH } from "./sign-in-paths";
import { setLeaving, useTRPC } from "./trpc";

/** A refused sign-in (401 wrong login or password, 429 locked, 400 bad input), with the server's message. */
export class SignInError extends Error {
  constructor(message: string, readonly status: number, readonly errorCode: string | undefined) {
    super(message);
    this.name = "SignInError";
  }
}

async function sessionCall(method: "POST" | "DELETE", body?: unknown): Promise<any> {
  const res = await fetch("/api/session", {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new SignInError(json?.error?.message ?? `${res.status} ${res.statusText}`, res.status, json?.error?.errorCode);
  return json;
}

export function signIn(login: string, password: string): Promise<{ user: { id: string; displayName: string } }> {
  return sessionCall("POST", { login, password });
}

export async function signOut(): Promise<void> {
  await sessionCall("DELETE");
}

/** What a sign-in failure says to the person at the form. */
export function signInErrorMessage(err: unknown): string {
  if (err instanceof SignInError && err.status === 429) return "Too many failed sign-ins: this account is locked for a while. Try again later.";
  if (err instanceof SignInError && err.status === 401) return "Unknown login or wrong password.";
  return err instanceof Error ? err.message : String(err);
}

/** The caller as `access.whoami` describes it (scopes expanded). */
export type Whoami = inferRouterOutputs<AppRouter>["access"]["whoami"];

/** Who is signed in. Read once a minute, not at the pages' live rate (a lapsed session shows as a 401 on any call). */
export function useWhoami() {
  const trpc = useTRPC();
  return useQuery({ ...trpc.access.whoami.queryOptions(), refetchInterval: 60_000, staleTime: 30_000 });
}

/**
 * Signs out, then goes to the sign-in page (a full load: nothing of the session
 * stays in memory). Queries refused meanwhile (the session is gone) do not
 * redirect on their own with a way back to this page.
 */
export function useSignOut() {
  return useMutation({
    mutationFn: signOut,
    onMutate: () => setLeaving(true),
    onSuccess: () => window.location.assign(SIGN_IN_PATH),
    onError: () => setLeaving(false),
  });
}
