import { expect, test, type APIRequestContext } from "@playwright/test";

/** One tRPC call over HTTP with the admin's session; fails the test on an error. */
async function call(request: APIRequestContext, kind: "query" | "mutation", path: string, input: unknown) {
  const r = kind === "mutation"
    ? await request.post(`/api/trpc/${path}`, { data: input })
    : await request.get(`/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`);
  expect(r.status(), `${path}: ${await r.text()}`).toBe(200);
  return ((await r.json()) as { result: { data: any } }).result.data;
}

test("a bulk retry of all failed jobs of a queue matching a body regex reports its count first, then the result", async ({ page }) => {
  const queueName = "e2e_bulk_retry";
  await call(page.request, "mutation", "queues.createQueue", { name: queueName });
  const bodies = [
    ...Array.from({ length: 30 }, (_, i) => `{"colour":"red","n":${i}}`),
    ...Array.from({ length: 10 }, (_, i) => `{"colour":"blue","n":${i}}`),
  ];
  const { jobDescriptors } = await call(page.request, "mutation", "queues.enqueueJobs", {
    queueName, jobs: bodies.map((body) => ({ body, numAttemptsAllowed: 1 })),
  });
  await call(page.request, "mutation", "queues.dequeueJobs", { queueName, limit: 100 });
  await call(page.request, "mutation", "queues.ackDequeuedJobs", {
    queueName, jobsFailed: jobDescriptors.map((jobDescriptor: string) => ({ jobDescriptor })),
  });

  await page.goto(`/queues/${queueName}`);
  await page.getByRole("tab", { name: "FAILED" }).click();
  await page.getByLabel("Body regex").fill('"red"');
  await page.getByRole("button", { name: "Filter", exact: true }).click();
  // the unfiltered page (25 of all 40) stays on screen, marked busy, until the filtered one arrives
  await expect(page).toHaveURL(/regex=/);
  await expect(page.getByTestId("jobs-table")).toHaveAttribute("aria-busy", "false");
  const rows = page.locator("tr[data-job]");
  await expect(rows).toHaveCount(25); // one page of the 30 red ones

  // one row, then a range with shift: five selected
  await rows.nth(0).locator("[data-select]").click();
  await expect(rows.nth(0).locator("[data-select]")).toBeChecked();
  await rows.nth(4).locator("[data-select]").click({ modifiers: ["Shift"] });
  for (let i = 0; i < 6; i++) {
    const box = rows.nth(i).locator("[data-select]");
    await (i < 5 ? expect(box).toBeChecked() : expect(box).not.toBeChecked());
  }
  const bar = page.getByTestId("bulk-bar");
  await expect(bar.getByTestId("bulk-what")).toHaveText("5 jobs selected");

  // the whole page, then every job matching the filter, counted first
  await page.getByLabel("select every row of this page").check();
  await expect(bar.getByTestId("bulk-what")).toHaveText("25 jobs selected");
  await bar.getByRole("button", { name: "Select all 30 jobs matching this filter" }).click();
  await expect(bar.getByTestId("bulk-what")).toHaveText("all 30 jobs matching this filter");
  await bar.getByRole("button", { name: "Retry", exact: true }).click();
  const dialog = page.getByTestId("bulk-dialog");
  await expect(dialog.getByTestId("bulk-count")).toContainText("This filter matches 30 now");
  await dialog.getByRole("button", { name: "Retry", exact: true }).click();
  await expect(dialog.getByTestId("bulk-progress")).toContainText("Done:");
  await expect(dialog.getByTestId("bulk-done")).toHaveText("30");
  await dialog.getByRole("button", { name: "Close" }).click();

  // what it said is what happened: the red ones are pending again, the blue ones still failed
  const count = (state: string, regex: string) =>
    call(page.request, "query", "queues.getJobCount", { queueName, jobState: state, bodyRegexToMatch: regex });
  expect((await count("FAILED", "red")).count).toBe(0);
  expect((await count("PENDING", "red")).count).toBe(30);
  expect((await count("FAILED", "blue")).count).toBe(10);
  await expect(rows).toHaveCount(0);
  // and it is in the audit log, with the filter
  const events = await call(page.request, "query", "audit.search", { entityKind: "queue", entityId: queueName, action: "jobs_retried" });
  expect(events.events[0]).toMatchObject({ actor: "user:admin", payload: { count: 30, filter: { bodyRegexToMatch: '"red"' } } });
});

test("a failed request retried from its failed job completes", async ({ page }) => {
  const key = `k${Date.now()}`;
  const created = await call(page.request, "mutation", "requests.create", { type: "fail-once", args: { key }, start: true });
  await page.goto(`/requests/${created.id}`);
  await expect(page.getByTestId("request-state")).toHaveText("FAIL", { timeout: 30_000 });
  await page.getByRole("button", { name: "Retry from the failed job", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Reason").fill("e2e: the marker is there now");
  await dialog.getByRole("button", { name: "Retry request from its failed job" }).click();
  await expect(page.getByTestId("request-state")).toHaveText("COMPLETE", { timeout: 30_000 });
  await expect(page.getByTestId("request-last-action")).toContainText("Retried by user:admin");
  await expect(page.getByTestId("request-last-action")).toContainText("e2e: the marker is there now");
  // the job that completed before ran once; the failed one twice
  await page.getByTestId("chain-node-prepare").click();
  await expect(page.getByTestId("job-tries").getByText(/^Try \d$/)).toHaveCount(1);
  await page.getByTestId("chain-node-flaky").click();
  await expect(page.getByTestId("job-tries")).toContainText("Try 2");
  await expect(page.getByTestId("job-tries")).toContainText("passes");
});
