import type { Metadata } from "next";
import { SignInForm } from "@/components/sign-in-form";
import { SsoLink } from "@/components/sso-link";
import { safeNextPath } from "@/lib/sign-in-paths";

export const metadata: Metadata = { title: "Sign in · Hourglass" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const { next } = await searchParams;
  return <><SignInForm next={safeNextPath(Array.isArray(next) ? next[0] : next)} /><SsoLink /></>;
}
