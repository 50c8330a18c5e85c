"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { AccessLink } from "@/components/access-link";
import { CommandPalette } from "@/components/command-palette";
import { ZoneSwitcher } from "@/components/zone-switcher";
import { useSignOut, useWhoami } from "@/lib/session";
import { SIGN_IN_PATH } from "@/lib/sign-in-paths";

/** Sections of the dashboard. */
const SECTIONS = [
  { href: "/jobs", label: "Jobs" },
  { href: "/requests", label: "Requests" },
  { href: "/queues", label: "Queues" },
  { href: "/alerts", label: "Alerts" },
  { href: "/audit", label: "Audit" },
  { href: "/api-docs", label: "API" },
];

/** The header: sections and who is signed in; on the sign-in page only the name. */
export function Nav() {
  const path = usePathname();
  const signingIn = path === SIGN_IN_PATH;
  return (
    <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <nav className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6" aria-label="Main">
        <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight">
          <svg aria-hidden viewBox="0 0 24 24" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
            <path d="M6 3h12M6 21h12M7 3c0 5 10 6 10 9s-10 4-10 9M17 3c0 5-10 6-10 9s10 4 10 9" />
          </svg>
          Hourglass
        </Link>
        {!signingIn && (
          <>
            <ul className="flex flex-wrap gap-1">
              {SECTIONS.map((s) => {
                const active = path.startsWith(s.href);
                return (
                  <li key={s.href}>
                    <Link
                      href={s.href}
                      aria-current={active ? "page" : undefined}
                      className={`rounded-md px-3 py-1.5 text-sm ${active ? "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900" : "text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"}`}
                    >
                      {s.label}
                    </Link>
                  </li>
                );
              })}
              <AccessLink path={path} />
            </ul>
            <SignedIn />
          </>
        )}
      </nav>
    </header>
  );
}

/** Who is signed in, and the way out. */
function SignedIn() {
  const me = useWhoami();
  const signOut = useSignOut();
  const user = me.data && !me.data.anonymous ? me.data : null;
  return (
    <div className="ml-auto flex flex-wrap items-center justify-end gap-x-3 gap-y-2 text-sm">
      {user && <CommandPalette />}
      <ZoneSwitcher />
      {user && <span className="max-w-48 truncate text-slate-600 dark:text-slate-300" title={user.id} data-testid="signed-in-as">{user.displayName}</span>}
      {user && (
        <Link href="/tokens" className="rounded-md px-3 py-1.5 text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800">
          Tokens
        </Link>
      )}
      <button
        type="button"
        onClick={() => signOut.mutate()}
        disabled={signOut.isPending}
        title={signOut.error ? `Could not sign out: ${signOut.error.message}` : undefined}
        className="rounded-md px-3 py-1.5 text-slate-600 hover:bg-slate-100 disabled:opacity-50 dark:text-slate-300 dark:hover:bg-slate-800"
      >
        Sign out
      </button>
    </div>
  );
}
