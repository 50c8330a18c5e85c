"use client";
// The viewer's zone choice (local / UTC / a named IANA zone), remembered per
// browser in localStorage and shared by every <Time> on the page: choosing a
// zone re-renders them all, and other tabs follow through the storage event.
import { useSyncExternalStore } from "react";
import { isValidZone, resolveZone, type ZonePreference } from "./time-format";

export const ZONE_STORAGE_KEY = "hourglass.timeZone";

const listeners = new Set<() => void>();
/** Set when storage refused the write, so the choice still holds for this page. */
let override: ZonePreference | null = null;

function read(): ZonePreference {
  try {
    const stored = window.localStorage.getItem(ZONE_STORAGE_KEY);
    return stored === null || (stored !== "local" && !isValidZone(stored)) ? "local" : stored;
  } catch {
    return "local"; // storage disabled: the local zone, not remembered
  }
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (e: StorageEvent) => e.key === ZONE_STORAGE_KEY && listener();
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
  };
}

/** Remembers `pref` for this browser; every time on the page follows. */
export function setZonePreference(pref: ZonePreference): void {
  try {
    if (pref === "local") window.localStorage.removeItem(ZONE_STORAGE_KEY);
    else window.localStorage.setItem(ZONE_STORAGE_KEY, pref);
    override = null;
  } catch {
    override = pref; // not remembered, but applied to this page
  }
  for (const l of listeners) l();
}

const snapshot = (): ZonePreference => override ?? read();
// the server renders in UTC; the browser's own choice replaces it right after hydration
const serverSnapshot = (): ZonePreference => "UTC";

/** The viewer's choice and the IANA zone it stands for. */
export function useTimeZone(): { pref: ZonePreference; zone: string } {
  const pref = useSyncExternalStore(subscribe, snapshot, serverSnapshot);
  return { pref, zone: resolveZone(pref) };
}
