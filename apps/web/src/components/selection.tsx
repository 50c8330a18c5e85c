"use client";
import { useCallback, useEffect, useRef, useState, type MouseEvent } from "react";

/**
 * Which rows of a list are selected: some rows of the page (click one,
 * shift-click for a range, the header box for the whole page), or "every
 * row matching the filter" (`allMatching`), which a bulk action then applies
 * to the filter instead of to ids. A change of `resetKey` (the filter, the
 * page) clears it, so a selection never outlives the view it was made in; a
 * live refetch of the same view keeps it (a selected row that left the view
 * is still acted on, and reported as skipped if it no longer qualifies).
 */
export interface Selection<K extends string> {
  selected: ReadonlySet<K>;
  allMatching: boolean;
  /** Rows of this page that are selected. */
  count: number;
  isSelected(key: K): boolean;
  /** A row's box was clicked: toggles it, or the range from the last click with shift held. */
  toggle(key: K, e: { shiftKey: boolean }): void;
  /** The header box: every row of the page, or none. */
  togglePage(): void;
  pageSelected: boolean;
  selectAllMatching(): void;
  clear(): void;
}

export function useSelection<K extends string>(pageKeys: readonly K[], resetKey: string): Selection<K> {
  const [selected, setSelected] = useState<ReadonlySet<K>>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  // the row last clicked, by key: a live refetch may reorder the page between two clicks
  const anchor = useRef<K | null>(null);
  useEffect(() => {
    setSelected(new Set());
    setAllMatching(false);
    anchor.current = null;
  }, [resetKey]);

  const toggle = useCallback((key: K, e: { shiftKey: boolean }) => {
    const at = pageKeys.indexOf(key);
    const from = anchor.current === null ? -1 : pageKeys.indexOf(anchor.current);
    setAllMatching(false);
    setSelected((prev) => {
      const next = new Set(prev);
      const on = !prev.has(key);
      if (e.shiftKey && from >= 0 && at >= 0) {
        const [lo, hi] = from < at ? [from, at] : [at, from];
        for (const k of pageKeys.slice(lo, hi + 1)) on ? next.add(k) : next.delete(k);
      } else {
        on ? next.add(key) : next.delete(key);
      }
      return next;
    });
    anchor.current = key;
  }, [pageKeys]);

  const pageSelected = pageKeys.length > 0 && pageKeys.every((k) => selected.has(k));
  return {
    selected, allMatching, count: selected.size, pageSelected,
    isSelected: (key) => allMatching || selected.has(key),
    toggle,
    togglePage: () => {
      setAllMatching(false);
      setSelected(pageSelected ? new Set() : new Set(pageKeys));
    },
    selectAllMatching: () => {
      setSelected(new Set(pageKeys));
      setAllMatching(true);
    },
    clear: () => {
      setSelected(new Set());
      setAllMatching(false);
    },
  };
}

/** A row's selection box (shift-click selects the range from the last one clicked). */
export function RowCheckbox<K extends string>({ selection, rowKey, label }: { selection: Selection<K>; rowKey: K; label: string }) {
  return (
    <input type="checkbox" aria-label={`select ${label}`} data-select={rowKey} className="h-4 w-4 cursor-pointer"
      checked={selection.isSelected(rowKey)} readOnly
      onClick={(e: MouseEvent<HTMLInputElement>) => selection.toggle(rowKey, e)} />
  );
}

/** The header's box: the whole page, or none. */
export function PageCheckbox<K extends string>({ selection }: { selection: Selection<K> }) {
  return (
    <input type="checkbox" aria-label="select every row of this page" data-select="page" className="h-4 w-4 cursor-pointer"
      checked={selection.pageSelected || selection.allMatching} onChange={() => selection.togglePage()} />
  );
}
