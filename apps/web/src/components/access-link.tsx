"use client";
import { ACCESS_MANAGE } from "@hourglass/engine/access";
import Link from "next/link";
import { useCan } from "@/lib/can";

/** The header's "Access" section link, only for callers holding access:manage (to anyone else the section is not there). */
export function AccessLink({ path }: { path: string }) {
  const can = useCan();
  if (!can.allows(ACCESS_MANAGE)) return null;
  const active = path === "/access" || path.startsWith("/access/");
  return (
    <li>
      <Link
        href="/access"
        aria-current={active ? "page" : undefined}
        className={`rounded-md px-3 py-1.5 text-sm ${active ? "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900" : "text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"}`}
      >
        Access
      </Link>
    </li>
  );
}
