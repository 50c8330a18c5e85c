import type { ApiCaller } from "../access/host/caller.ts";
import { scope } from "../access/resources.ts";
import type { Engine } from "../engine.ts";
import { parseJobDescriptor } from "../queue/descriptors.ts";

/**
 * What a list shows a caller: only what its read scopes reach, so a list
 * never reveals what the caller could not open. The `signedIn` procedures
 * pass their results through here; nothing else filters.
 */
export class Visibility {
  constructor(private readonly engine: Engine, private readonly caller: ApiCaller) {}

  private can(build: () => string): boolean {
    try {
      return this.caller.scopes.satisfies(build());
    } catch {
      return false; // a name no scope can hold is visible to no one but `*`
    }
  }

  /** Items of queues the caller may read. */
  async queues<T>(items: T[], name: (item: T) => string): Promise<T[]> {
    const projects = await this.engine.access.projects.queues(items.map(name));
    return items.filter((item) => {
      const project = projects.get(name(item));
      return project !== undefined && this.can(() => scope.queues("read", project, name(item)));
    });
  }

  /** Job descriptors of visible queues (lookupJobs leaves the others out, as it leaves out unknown ones). */
  async descriptors(descriptors: string[]): Promise<string[]> {
    const parsed = descriptors.map((d) => ({ d, queue: parseJobDescriptor(d).queueName }));
    return (await this.queues(parsed, (p) => p.queue)).map((p) => p.d);
  }

  schedulerProject(project: string): boolean {
    return this.can(() => scope.scheduler("read", project));
  }

  schedulerJob(key: string): boolean {
    const project = this.engine.access.projects.schedulerJob(key);
    return project !== null && this.can(() => scope.scheduler("read", project, key.slice(project.length + 1)));
  }

  request(project: string, type: string): boolean {
    return this.can(() => scope.requests("read", project, type));
  }

  /** A request type by its current spec; one no longer in any spec is seen only with read on every project. */
  async requestType(type: string): Promise<boolean> {
    const project = await this.engine.access.projects.requestType(type);
    return project !== null ? this.request(project, type) : this.caller.scopes.satisfies("requests:read:*");
  }
}
