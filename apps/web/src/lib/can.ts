"use client";
import { useMemo } from "react";
import { permissionsOf, type Permissions } from "./permissions";
import { useWhoami } from "./session";

/** One empty list, so a failed whoami does not rebuild the permissions each render. */
const EMPTY: string[] = [];

/**
 * The caller's permissions from access.whoami (one shared query, read once a
 * minute): `can.allows(need.queue("manage", q))`, or `can.missing(…)` for the
 * title of a disabled button. Only for choosing what to offer: the API
 * refuses anything the caller may not do, whatever the page shows.
 */
export function useCan(): Permissions {
  const me = useWhoami();
  // a failed whoami offers nothing (a 401 sends the page to sign in anyway)
  const scopes = me.isError ? EMPTY : me.data?.scopes;
  return useMemo(() => permissionsOf(scopes), [scopes]);
}
