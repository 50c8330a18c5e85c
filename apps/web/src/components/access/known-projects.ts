"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";

/** Slow: what projects exist changes with deployments, not by the second. */
const SLOW = { refetchInterval: 60_000, staleTime: 30_000 } as const;

/**
 * The project names the caller can see anywhere (scheduler projects, queues,
 * request types), sorted, for the role-binding picker's suggestions. A
 * binding may name a project nothing uses yet: the picker takes any name.
 */
export function useKnownProjects(): string[] {
  const trpc = useTRPC();
  const scheduler = useQuery({ ...trpc.scheduler.getProjects.queryOptions(), ...SLOW });
  const queues = useQuery({ ...trpc.queues.getQueueSummaries.queryOptions(), ...SLOW });
  const specs = useQuery({ ...trpc.requests.specs.queryOptions(), ...SLOW });
  const names = new Set<string>([
    ...(scheduler.data ?? []).map((p) => p.id),
    ...(queues.data ?? []).filter((q) => !q.system).map((q) => q.project),
    ...(specs.data?.requests ?? []).map((r) => r.project),
  ]);
  return [...names].sort();
}

/** The stored roles' ids, for binding a principal to one. */
export function useStoredRoleIds(): string[] {
  const trpc = useTRPC();
  const roles = useQuery({ ...trpc.access.listRoles.queryOptions(), ...SLOW });
  return (roles.data?.roles ?? []).map((r) => r.id);
}
