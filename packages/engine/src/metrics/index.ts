export { createMetrics, Metrics, METRIC_DOC, type MetricName, type MetricsOptions } from "./metrics.ts";
export { metricsAuthorized, metricsReply, type MetricsReply } from "./http.ts";
export { GAUGE_COUNT_CAP, GAUGE_MAX_QUEUES } from "./database.ts";
