// A release service: tells Hourglass of a release by triggering a scheduler
// job and starting a request, then reports how both ended. Configured by the
// environment; exits 0 only when the invocation SUCCEEDED and the request is
// COMPLETE.
import { HourglassError } from "@hourglass/client";
import { announceRelease, createHourglassClient } from "./release.ts";

const env = process.env;
if (!env.HOURGLASS_TOKEN) {
  console.error("set HOURGLASS_TOKEN to an API token (hg_…)");
  process.exit(2);
}
const hg = createHourglassClient({ url: env.HOURGLASS_URL ?? "http://127.0.0.1:3000", token: env.HOURGLASS_TOKEN });
const release = process.argv[2] ?? `r${Date.now()}`;

try {
  const outcome = await announceRelease(hg, release, {
    job: env.HOURGLASS_TRIGGER_JOB ?? "demo/publish-report",
    requestType: env.HOURGLASS_REQUEST_TYPE ?? "deploy-app",
    args: JSON.parse(env.HOURGLASS_REQUEST_ARGS ?? '{"app":"web"}'),
    timeoutMs: Number(env.HOURGLASS_TIMEOUT_MS ?? 120_000),
  });
  console.log(JSON.stringify(outcome));
  const ok = outcome.invocation?.state === "SUCCEEDED" && outcome.request.state === "COMPLETE";
  process.exit(ok ? 0 : 1);
} catch (err) {
  // typed errors: err.kind is "not_found", "forbidden", "validation", …; err.code is the API's error code
  if (err instanceof HourglassError) console.error(`hourglass: ${err.message} (${err.code}, ${err.kind})`);
  else console.error(err);
  process.exit(1);
}
