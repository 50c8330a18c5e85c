"use client";
// The time relative dates are shown against, ticking once a second while any
// component shows one: pages no longer refetch on a timer, so "5 seconds ago"
// moves on by itself (no request involved).
import { useSyncExternalStore } from "react";

const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;
const second = () => Math.floor(Date.now() / 1000) * 1000;
let now = second();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  timer ??= setInterval(() => {
    now = second();
    for (const l of listeners) l();
  }, 1000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/** The snapshot: stable within a second (React compares consecutive reads). */
function snapshot(): number {
  if (!timer) now = second();
  return now;
}

/** Now, to the second; re-renders the caller as it moves. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, snapshot, second);
}
