"use client";
// The browser's side of signing in: the calls to /api/session, who is signed
// in (access.whoami), and how a call refused for want of a session is told
// apart from other failures.
import { useMutation, useQuery } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { SIGN_IN_PATH } from "./sign-in-paths";

/** A refused sign-in (401 wrong login or password, 429 locked, 400 bad input), with the server's message. */
export class SignInError extends Error {
  constructor(message: string, readonly status: number, readonly errorCode: string | undefined) {
    super(message);
    this.name = "SignInError";
  }
}

/** A call the server refused because the caller is not signed in (no session, or an expired one). */
export class NotSignedInError extends Error {
  constructor() {
    super("not signed in");
    this.name = "NotSignedInError";
  }
}

/** Whether `err` is a 401 from the API: the session is gone and the user must sign in again. */
export function isNotSignedIn(err: unknown): boolean {
  return err instanceof NotSignedInError || (err instanceof TRPCClientError && err.data?.httpStatus === 401);
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

/** The caller as `access.whoami` describes it. */
export interface Whoami {
  id: string;
  kind: "user" | "service" | "system" | "anonymous";
  displayName: string;
  scopes: string[];
  anonymous: boolean;
}

/**
 * Who is signed in; null while the API has no `access.whoami` (older
 * servers). Read once a minute, not at the pages' live rate.
 * TODO(issue 12): use `trpc.access.whoami.queryOptions()` once the access router is in AppRouter.
 */
export function useWhoami() {
  return useQuery({
    queryKey: ["access.whoami"],
    queryFn: async (): Promise<Whoami | null> => {
      const res = await fetch("/api/trpc/access.whoami");
      if (res.status === 401) throw new NotSignedInError();
      if (res.status === 404) return null;
      if (!res.ok) throw new Error(`access.whoami: ${res.status} ${res.statusText}`);
      return ((await res.json()) as { result: { data: Whoami } }).result.data;
    },
    refetchInterval: 60_000,
    staleTime: 30_000,
  });
}

/** Signs out, then goes to the sign-in page (a full load: nothing of the session stays in memory). */
export function useSignOut() {
  return useMutation({ mutationFn: signOut, onSuccess: () => window.location.assign(SIGN_IN_PATH) });
}
