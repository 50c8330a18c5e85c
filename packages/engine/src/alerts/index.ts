/** Alerts without server code (kinds, states, the rule schema, the retry schedule), for the dashboard. Receivers: signing.ts. */
export { ALERT_KINDS, ALERT_KIND_DOC, ALERT_TARGET, DELIVERY_STATES, DELIVERY_STATE_DOC, THRESHOLD_KINDS, isFinalDeliveryState,
  isThresholdKind, type AlertKind, type DeliveryState } from "./kinds.ts";
export { CONDITION_FIELDS, DEFAULT_COLLAPSE_WINDOW_MS, MAX_COLLAPSE_WINDOW_MS, MIN_SECRET_LENGTH, SECRET_MASK, createRuleInput,
  ruleDefinition, type AlertCondition, type ChannelInput, type CreateRuleInput, type RuleDefinition } from "./schemas.ts";
export { MAX_ATTEMPTS, RETRY_BASE_MS, retryDelay } from "./backoff.ts";
export type { AlertRuleInfo, ChannelInfo } from "./host/rule-info.ts";
export type { DeliveryInfo } from "./host/service.ts";
