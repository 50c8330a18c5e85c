"use client";
import { ACCESS_MANAGE } from "@hourglass/engine/access";
import Link from "next/link";
import { notFound, usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { useCan } from "@/lib/can";

const TABS = [
  { href: "/access", label: "Users" },
  { href: "/access/service-accounts", label: "Service accounts" },
  { href: "/access/tokens", label: "Tokens" },
  { href: "/access/roles", label: "Roles" },
];

/**
 * Users, service accounts, tokens and roles: for callers holding
 * access:manage (the admin role). To anyone else the section does not exist,
 * as the API's answers say (every procedure here refuses them anyway).
 */
export default function AccessLayout({ children }: { children: ReactNode }) {
  const can = useCan();
  const path = usePathname();
  if (!can.ready) return <p className="text-sm text-slate-500">Loading…</p>;
  if (!can.allows(ACCESS_MANAGE)) notFound();
  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-2xl font-semibold">Access</h1>
        <Link href="/tokens" className="text-sm text-indigo-700 hover:underline dark:text-indigo-300">My tokens</Link>
      </div>
      <nav aria-label="Access" className="border-b border-slate-200 dark:border-slate-800">
        <ul className="-mb-px flex flex-wrap gap-1">
          {TABS.map((t) => {
            const active = path === t.href;
            return (
              <li key={t.href}>
                <Link href={t.href} aria-current={active ? "page" : undefined}
                  className={`inline-block border-b-2 px-3 py-2 text-sm ${active ? "border-indigo-600 font-medium text-slate-900 dark:text-slate-100" : "border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100"}`}>
                  {t.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      {children}
    </div>
  );
}
