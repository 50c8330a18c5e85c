import { expect, test } from "@playwright/test";

test("an operator starts a request from the form, watches the graph reach COMPLETE and reads a failed try", async ({ page }) => {
  const app = `app${Date.now()}`;
  await page.goto("/requests");
  await page.getByRole("button", { name: "Start a request" }).click();
  const dialog = page.getByRole("dialog", { name: "Start a request" });
  await dialog.getByLabel("Request type").selectOption("build-and-ship");
  // required first, defaults shown
  await expect(dialog.getByLabel("app")).toHaveAttribute("required", "");
  await expect(dialog.getByText("default: h1,h2")).toBeVisible();
  await dialog.getByLabel("app").fill(app);
  await dialog.getByRole("button", { name: "Start" }).click();
  await expect(page).toHaveURL(/\/requests\/[a-z0-9]+$/);
  await expect(page.getByTestId("chain-graph")).toBeVisible();
  await expect(page.getByTestId("request-state")).toHaveText("COMPLETE", { timeout: 20_000 });
  await expect(page.getByTestId("chain-node-build")).toHaveAttribute("data-state", "COMPLETE");
  await expect(page.getByTestId("chain-node-ship").first()).toHaveAttribute("data-state", "COMPLETE");
  await page.getByTestId("chain-node-build").click();
  const tries = page.getByTestId("job-tries");
  await expect(tries).toContainText("Try 1");
  await expect(tries).toContainText("first try fails");
  await expect(tries).toContainText("exit 3");
  await expect(tries).toContainText(`built ${app}`);
});

test("an operator stops a running request", async ({ page }) => {
  await page.goto("/requests");
  await page.getByRole("button", { name: "Start a request" }).click();
  const dialog = page.getByRole("dialog", { name: "Start a request" });
  await dialog.getByLabel("Request type").selectOption("long-wait");
  await dialog.getByRole("button", { name: "Start" }).click();
  await expect(page.getByTestId("chain-node-wait")).toHaveAttribute("data-state", "RUNNING", { timeout: 15_000 });
  await page.getByRole("button", { name: "Stop" }).click();
  // stopping asks why; the page then says who stopped it and why
  await page.getByRole("dialog").getByRole("button", { name: "Stop request" }).click();
  await expect(page.getByRole("dialog").getByRole("alert")).toContainText("Say why");
  await page.getByRole("dialog").getByLabel("Reason").fill("e2e: not needed any more");
  await page.getByRole("dialog").getByRole("button", { name: "Stop request" }).click();
  await expect(page.getByTestId("request-state")).toHaveText("STOPPED");
  await expect(page.getByTestId("request-last-action")).toContainText("Stopped by user:admin");
  await expect(page.getByTestId("request-last-action")).toContainText("e2e: not needed any more");
  await page.getByTestId("chain-node-wait").click();
  await expect(page.getByTestId("job-tries")).toContainText("STOPPED");
  // the histories come from the event log: who stopped it, and the job's try
  const history = page.getByTestId("request-history");
  await expect(history.locator('[data-action="stopped"]')).toContainText("user:admin");
  await expect(history.locator("[data-action]")).toHaveCount(3);
  const jobHistory = page.getByTestId("job-history");
  await expect(jobHistory.locator('[data-action="began"]')).toContainText("try 1");
  await expect(jobHistory.locator('[data-action="stopped"]')).toContainText("user:admin");
});

test("a request's history shows every event, later pages on Load more", async ({ page }) => {
  await page.goto("/requests");
  await page.getByRole("button", { name: "Start a request" }).click();
  const dialog = page.getByRole("dialog", { name: "Start a request" });
  await dialog.getByLabel("Request type").selectOption("long-wait");
  await dialog.getByRole("button", { name: "Start" }).click();
  await expect(page).toHaveURL(/\/requests\/[a-z0-9]+$/);
  const id = page.url().split("/").pop()!;
  // 30 suspend / resume pairs with reasons, through the API as this session, then a stop: 63 events
  const status = await page.evaluate(async (id) => {
    const call = (path: string, input: unknown) => fetch(`/api/trpc/requests.${path}`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(input),
    }).then((r) => r.status);
    const seen: number[] = [];
    for (let i = 0; i < 30; i++) {
      seen.push(await call("suspend", { id, reason: `pause ${i}` }), await call("resume", { id, reason: `go ${i}` }));
    }
    seen.push(await call("stop", { id, reason: "enough" }));
    return [...new Set(seen)];
  }, id);
  expect(status).toEqual([200]);
  await page.reload();
  const history = page.getByTestId("request-history");
  await expect(page.getByTestId("request-state")).toHaveText("STOPPED");
  await expect(history.getByTestId("history-total")).toHaveText("63 events, oldest first");
  await expect(history.getByTestId("history-event")).toHaveCount(50);
  await history.getByTestId("history-more").click();
  await expect(history.getByTestId("history-event")).toHaveCount(63);
  await expect(history.getByTestId("history-more")).toHaveCount(0);
  await expect(history.getByTestId("history-event").last()).toContainText("enough");
  await expect(history.locator('[data-action="suspended"]').nth(29)).toContainText("pause 29");
});

test("a cron job of kind request shows its linked request, which links back", async ({ page }) => {
  await page.goto("/jobs/e2e/chain-ticker");
  // fires every ten seconds; its invocation ends with the request's outcome
  const done = page.locator("tr[data-invocation]").filter({ has: page.locator('[data-state="SUCCEEDED"]') }).first();
  await expect(done).toBeVisible({ timeout: 30_000 });
  await done.getByRole("link").first().click();
  await expect(page.getByTestId("debug-log")).toContainText(/request \w+ ended COMPLETE/);
  const link = page.getByTestId("invocation-request");
  const requestId = (await link.textContent())!.trim();
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/requests/${requestId}$`));
  await expect(page.getByTestId("request-state")).toHaveText("COMPLETE");
  await expect(page.getByTestId("chain-node-second")).toHaveAttribute("data-state", "COMPLETE");
  await page.getByTestId("request-invocation").click();
  await expect(page).toHaveURL(/\/jobs\/e2e\/chain-ticker\/\d+$/);
  await expect(page.getByTestId("invocation-state")).toHaveText("SUCCEEDED");
});
