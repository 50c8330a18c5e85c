import type { ScopeExpression } from "../access/expressions.ts";
import { EXECUTOR_HTTP, scope, type ResourceAction } from "../access/resources.ts";
import * as s from "../alerts/schemas.ts";
import { HourglassError } from "../errors.ts";
import type { Access } from "./access-check.ts";
import { procedure, router } from "./trpc.ts";

type Channel = { kind: string; smtp?: unknown };

/**
 * A channel that makes the worker connect where the rule says (a webhook
 * URL, an SMTP server of the rule's own) reaches into the workers' network,
 * as an http task does: it needs executor:http besides alerts:manage. Mail
 * through the workers' own SMTP server needs nothing more.
 */
function channelScopes(channel: Channel): ScopeExpression[] {
  return channel.kind === "webhook" || channel.smtp !== undefined ? [EXECUTOR_HTTP] : [];
}

/** Fixed scopes in a project named by the input (list, create): a project has nothing to hide. */
type Extra<I> = (input: I) => ScopeExpression[];

const inProject = <I>(action: ResourceAction<"alerts">, project: (i: I) => string, extra: Extra<I> = () => []): Access<I> => ({
  kind: "scopes",
  need: (input) => ({ AllOf: [scope.alerts(action, project(input)), ...extra(input)] }),
});

/** One rule by id: a rule the caller may not read answers exactly as a missing one. */
const onRule = <I extends { id: string }>(action: ResourceAction<"alerts">, extra: Extra<I> = () => []): Access<I> => ({
  kind: "resource",
  resolve: async (ctx, input) => {
    const project = await ctx.engine.alerts.projectOf(input.id);
    const notFound = () => new HourglassError("ALERT_RULE_NOT_FOUND", `no such alert rule: ${input.id}`);
    if (project === null) return { read: null, notFound };
    return { read: scope.alerts("read", project), need: { AllOf: [scope.alerts(action, project), ...extra(input)] }, notFound };
  },
});

/** The `alerts` router: rules per project and their delivery history. Thin by rule: declare access, validate, call the engine. */
export const alertsRouter = router({
  list: procedure(inProject("read", (i: { project: string }) => i.project), s.listRulesInput)
    .query(({ ctx, input }) => ctx.engine.alerts.list(input.project)),
  get: procedure(onRule("read"), s.ruleIdInput)
    .query(({ ctx, input }) => ctx.engine.alerts.get(input.id)),
  create: procedure(inProject("manage", (i: s.CreateRuleInput) => i.project, (i) => channelScopes(i.channel)), s.createRuleInput)
    .mutation(({ ctx, input }) => ctx.engine.alerts.create(ctx.caller, input)),
  update: procedure(onRule("manage", (i: { id: string; rule: { channel: Channel } }) => channelScopes(i.rule.channel)),
    s.updateRuleInput)
    .mutation(({ ctx, input }) => ctx.engine.alerts.update(ctx.caller, input.id, input.rule)),
  delete: procedure(onRule("manage"), s.ruleIdInput)
    .mutation(({ ctx, input }) => ctx.engine.alerts.delete(ctx.caller, input.id)),
  sendTest: procedure(onRule("manage"), s.ruleIdInput)
    .mutation(({ ctx, input }) => ctx.engine.alerts.sendTest(ctx.caller, input.id)),
  deliveries: procedure(onRule("read"), s.deliveriesInput)
    .query(({ ctx, input }) => ctx.engine.alerts.deliveries(input.id, input)),
});
