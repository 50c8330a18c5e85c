"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Command } from "cmdk";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import {
  addRecent, hitHref, hitText, KIND_LABELS, parseRecent, RECENT_STORAGE_KEY, type RecentItem, type SearchHit, type SearchHitKind,
} from "@/lib/search-links";
import { useTRPC } from "@/lib/trpc";

/** Typing settles this long before the search is asked (one request per pause, not per key). */
const SETTLE_MS = 150;

function readRecent(): RecentItem[] {
  try {
    return parseRecent(window.localStorage.getItem(RECENT_STORAGE_KEY));
  } catch {
    return [];
  }
}

function remember(item: RecentItem): void {
  try {
    window.localStorage.setItem(RECENT_STORAGE_KEY, JSON.stringify(addRecent(readRecent(), item)));
  } catch {
    // storage disabled: nothing remembered
  }
}

/** True when a key press belongs to a field being typed in (then "/" is a character, not the shortcut). */
function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));
}

/**
 * The global search (cmdk): "/" or Ctrl-K (⌘K) anywhere opens it; it asks
 * search.find as you type and jumps to the chosen hit's page. With nothing
 * typed it lists the recent items of this browser.
 */
export function CommandPalette() {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const ctrlK = (e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "k";
      if (ctrlK || (e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey && !typing(e.target))) {
        e.preventDefault();
        setOpen((o) => (ctrlK ? !o : true));
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)} data-testid="open-search"
        className="flex items-center gap-2 rounded-md border border-slate-300 px-2.5 py-1 text-sm text-slate-500 hover:bg-slate-50 dark:border-slate-700 dark:text-slate-400 dark:hover:bg-slate-800">
        <svg aria-hidden viewBox="0 0 24 24" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
          <circle cx="11" cy="11" r="7" /><path d="m20 20-3.5-3.5" />
        </svg>
        Search
        <kbd className="rounded border border-slate-300 px-1 font-mono text-xs dark:border-slate-600">/</kbd>
      </button>
      {open && <Palette onClose={() => setOpen(false)} />}
    </>
  );
}

function Palette({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [text, setText] = useState("");
  const [q, setQ] = useState("");
  const [recent] = useState(readRecent);
  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  const found = useQuery({
    ...trpc.search.find.queryOptions({ q, limit: 5 }),
    enabled: q.length > 0,
    placeholderData: keepPreviousData,
  });
  const go = useCallback((item: RecentItem) => {
    remember(item);
    onClose();
    router.push(item.href);
  }, [onClose, router]);
  const hits = q.length > 0 ? found.data?.hits ?? [] : [];
  const groups = (Object.keys(KIND_LABELS) as SearchHitKind[])
    .map((kind) => ({ kind, hits: hits.filter((h) => h.kind === kind) }))
    .filter((g) => g.hits.length > 0);
  const settling = text.trim() !== q || (q.length > 0 && found.isFetching);
  return (
    <Command.Dialog open onOpenChange={(o: boolean) => !o && onClose()} label="Search" shouldFilter={false} loop
      overlayClassName="fixed inset-0 z-40 bg-slate-900/50"
      contentClassName="fixed left-1/2 top-24 z-50 w-[min(40rem,calc(100vw-2rem))] -translate-x-1/2 overflow-hidden rounded-lg border border-slate-200 bg-white text-slate-900 shadow-xl dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100">
      <Command.Input value={text} onValueChange={setText} autoFocus aria-label="Search"
        placeholder="A request id, invocation #, queue:job, queue, project or job name…"
        className="w-full border-b border-slate-200 bg-transparent px-4 py-3 text-sm outline-none dark:border-slate-700" />
      <Command.List className="max-h-[60vh] overflow-y-auto p-2 text-sm">
        {found.error && <div role="alert" className="px-3 py-2 text-rose-700 dark:text-rose-300">{found.error.message}</div>}
        {q.length > 0 && !settling && !found.error && groups.length === 0 && (
          <Command.Empty className="px-3 py-6 text-center text-slate-500">Nothing found for “{q}”.</Command.Empty>
        )}
        {text.trim() === "" && recent.length > 0 && (
          <Command.Group heading="Recent" className={GROUP}>
            {recent.map((r) => <Entry key={r.href} value={`recent ${r.href}`} item={r} onSelect={go} />)}
          </Command.Group>
        )}
        {text.trim() === "" && recent.length === 0 && (
          <p className="px-3 py-4 text-slate-500">Type an id or a name. Items you open here are listed next time.</p>
        )}
        {groups.map((g) => (
          <Command.Group key={g.kind} heading={KIND_LABELS[g.kind]} className={GROUP}>
            {g.hits.map((h: SearchHit) => {
              const item = { href: hitHref(h), ...hitText(h) };
              return <Entry key={item.href} value={item.href} item={item} kind={h.kind} onSelect={go} />;
            })}
          </Command.Group>
        ))}
      </Command.List>
    </Command.Dialog>
  );
}

const GROUP = "[&_[cmdk-group-heading]]:px-3 [&_[cmdk-group-heading]]:pb-1 [&_[cmdk-group-heading]]:pt-2 "
  + "[&_[cmdk-group-heading]]:text-xs [&_[cmdk-group-heading]]:font-semibold [&_[cmdk-group-heading]]:uppercase "
  + "[&_[cmdk-group-heading]]:tracking-wide [&_[cmdk-group-heading]]:text-slate-500";

function Entry({ value, item, kind, onSelect }: { value: string; item: RecentItem; kind?: string; onSelect: (i: RecentItem) => void }) {
  return (
    <Command.Item value={value} onSelect={() => onSelect(item)} data-hit={kind ?? "recent"} data-href={item.href}
      className="flex cursor-pointer items-baseline justify-between gap-3 rounded-md px-3 py-2 data-[selected=true]:bg-indigo-50 dark:data-[selected=true]:bg-indigo-950">
      <span className="truncate font-mono">{item.title}</span>
      <span className="shrink-0 text-xs text-slate-500">{item.detail}</span>
    </Command.Item>
  );
}
