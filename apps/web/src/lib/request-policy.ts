// Which hosts the web app answers as, from its environment: loopback always,
// plus HOURGLASS_ALLOWED_HOSTS (comma-separated names or name:port) and the
// host of HOURGLASS_PUBLIC_URL. Read by the proxy (every request) and the API route.
import type { RequestPolicy } from "@hourglass/engine/request-guard";

let policy: RequestPolicy | undefined;

export function requestPolicy(): RequestPolicy {
  if (!policy) {
    const hosts = (process.env.HOURGLASS_ALLOWED_HOSTS ?? "").split(",").map((h) => h.trim().toLowerCase()).filter(Boolean);
    const publicUrl = process.env.HOURGLASS_PUBLIC_URL;
    if (publicUrl) hosts.push(new URL(publicUrl).host.toLowerCase());
    policy = { allowedHosts: hosts };
  }
  return policy;
}
