import { expect, test, type APIRequestContext } from "@playwright/test";

/** Calls a queue mutation over the API as a program would. */
async function mutate(request: APIRequestContext, path: string, input: unknown) {
  const r = await request.post(`/api/trpc/queues.${path}`, { data: input });
  expect(r.ok(), await r.text()).toBe(true);
  return (await r.json()).result.data;
}

async function getQueue(request: APIRequestContext, name: string) {
  const r = await request.get(`/api/trpc/queues.getQueue?input=${encodeURIComponent(JSON.stringify({ name }))}`);
  return (await r.json()).result.data;
}

test("system queues are listed apart and read-only; their jobs can still be read", async ({ page, request }) => {
  await page.goto("/queues");
  const system = page.getByRole("table", { name: "System queues" });
  await expect(system.locator('tr[data-queue="hourglass_invocations"]')).toBeVisible();
  await expect(page.getByRole("table", { name: "Queues", exact: true }).locator('tr[data-queue="hourglass_invocations"]')).toHaveCount(0);

  await system.getByRole("link", { name: "hourglass_invocations" }).click();
  await expect(page.getByTestId("system-queue")).toBeVisible();
  for (const action of ["Delete queue", "Pause", "Settings", "Enqueue job", "Delete jobs…", "Retry failed"]) {
    await expect(page.getByRole("button", { name: action, exact: true })).toHaveCount(0);
  }
  // the e2e ticker fires every 2 s, so its carrier jobs are there to open
  await page.getByRole("tab", { name: "SUCCEEDED" }).click();
  const job = page.locator("tr[data-job] a").first();
  await expect(job).toBeVisible();
  await job.click();
  await expect(page.getByRole("list", { name: "History" })).toBeVisible();

  const refused = await request.post("/api/trpc/queues.deleteQueue", { data: { name: "hourglass_invocations" } });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.data.errorCode).toBe("QUEUE_RESERVED");
});

test("saving the Settings dialog keeps the headers and body it does not show", async ({ page, request }) => {
  const executor = {
    kind: "http", method: "POST", url: "http://127.0.0.1:9/hook", headers: { Authorization: "Bearer e2e-secret" },
    body: "{\"from\":\"e2e\"}", timeoutMillis: 5000, retryDelayMillis: 1000,
  };
  await mutate(request, "createQueue", { name: "e2e_hook", executor });
  await page.goto("/queues/e2e_hook");
  await page.getByRole("button", { name: "Settings" }).click();
  const dialog = page.getByRole("dialog", { name: "Settings of e2e_hook" });
  await expect(dialog.getByTestId("kept-settings")).toContainText("1 header (Authorization) and the request body");
  await dialog.getByLabel("URL").fill("http://127.0.0.1:9/other");
  await dialog.getByLabel("Claim timeout (s)").fill("60");
  await dialog.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status")).toHaveText("Settings saved.");

  const q = await getQueue(request, "e2e_hook");
  expect(q.claimTimeoutMillis).toBe(60_000);
  // header values are write-only: the API shows the header is still set, never its value
  expect(q.executor).toEqual({ ...executor, headers: { Authorization: "(secret: set)" }, url: "http://127.0.0.1:9/other" });
  expect(JSON.stringify(q)).not.toContain("e2e-secret");
});

test("the PENDING count says how many jobs are due and how many scheduled later, and both lists show them", async ({ page, request }) => {
  await mutate(request, "createQueue", { name: "e2e_later" });
  await mutate(request, "enqueueJobs", { queueName: "e2e_later", jobs: Array.from({ length: 18 }, (_, i) => ({ body: `now ${i}` })) });
  const later = Date.now() + 3600_000;
  await mutate(request, "enqueueJobs", {
    queueName: "e2e_later", jobs: Array.from({ length: 6 }, (_, i) => ({ body: `later ${i}`, runAfterTimestampMillis: later + i })),
  });

  await page.goto("/queues");
  await expect(page.locator('tr[data-queue="e2e_later"] [data-count="PENDING"]')).toContainText("24");
  await expect(page.locator('tr[data-queue="e2e_later"] [data-later]')).toHaveText("6 later");

  await page.goto("/queues/e2e_later");
  await expect(page.locator('[data-count="PENDING"]')).toHaveText("24");
  await expect(page.getByTestId("pending-split")).toHaveText("18 due · 6 scheduled later");
  await expect(page.locator("tr[data-job]")).toHaveCount(18);
  await expect(page.getByTestId("later-note")).toContainText("6 more are scheduled later");
  await page.getByTestId("later-note").getByRole("button", { name: "show them" }).click();
  await expect(page.locator("tr[data-job]")).toHaveCount(6);
  await expect(page.getByRole("button", { name: "Scheduled later (6)" })).toHaveAttribute("aria-pressed", "true");
  await page.getByRole("button", { name: "Due now" }).click();
  await expect(page.locator("tr[data-job]")).toHaveCount(18);
});

test("an invocation's page shows its task's output while it runs, keeps it when aborted, and shows the task itself", async ({ page }) => {
  await page.goto("/jobs/e2e/chatty");
  await page.getByRole("button", { name: "Trigger" }).click();
  await page.locator("tr[data-invocation]").first().getByRole("link").click();
  // `echo starting; sleep 60`: the line shows up while the task still runs
  await expect(page.getByTestId("debug-log")).toContainText("stdout:\nstarting");
  await expect(page.getByTestId("invocation-state")).toHaveText("RUNNING");
  await expect(page.getByTestId("task-running")).toBeVisible();
  const task = page.locator("section", { has: page.getByRole("heading", { name: "Task", exact: true }) });
  await expect(task).toContainText("sh -c echo starting; sleep 60");
  await expect(page.getByTestId("view-url")).toHaveCount(0);

  await page.getByRole("button", { name: "Abort" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Abort invocation" }).click();
  await expect(page.getByTestId("invocation-state")).toHaveText("ABORTED");
  await expect(page.getByTestId("debug-log")).toContainText("task killed: the invocation was aborted");
  await expect(page.getByTestId("debug-log")).toContainText("stdout:\nstarting");
  const run = task.locator('[data-run="1"]');
  await expect(run).toContainText("aborted");
  await expect(run.locator('[data-output="stdout"]')).toHaveText("starting");
});
