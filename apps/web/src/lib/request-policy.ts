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

/**
 * Whether the browser reached the dashboard over https: the request's own
 * scheme, the scheme a TLS-terminating proxy reports (x-forwarded-proto), or
 * an https HOURGLASS_PUBLIC_URL. Cookies set then are marked Secure.
 */
export function servedOverHttps(req: Request): boolean {
  if (new URL(req.url).protocol === "https:") return true;
  if (req.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase() === "https") return true;
  return process.env.HOURGLASS_PUBLIC_URL?.toLowerCase().startsWith("https:") ?? false;
}
