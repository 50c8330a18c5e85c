import { expect, test } from "@playwright/test";

test("health endpoints: liveness always, readiness with the database's round trip", async ({ request }) => {
  const live = await request.get("/api/health");
  expect(live.status()).toBe(200);
  expect(await live.json()).toMatchObject({ status: "ok" });
  const ready = await request.get("/api/health/ready");
  expect(ready.status()).toBe(200);
  const body = await ready.json();
  expect(body).toMatchObject({ status: "ready", database: { ok: true } });
  expect(typeof body.database.latencyMs).toBe("number");
});
