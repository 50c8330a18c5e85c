import { expect, test } from "@playwright/test";

test("an operator watches a cron job fire and reads its triage log", async ({ page }) => {
  await page.goto("/jobs");
  const row = page.locator('tr[data-project="e2e"]');
  await expect(row).toBeVisible();
  await row.getByRole("link", { name: "e2e" }).click();
  await page.locator('tr[data-job="e2e/ticker"]').getByRole("link", { name: "ticker" }).click();
  await expect(page.getByRole("heading", { name: /ticker/ })).toBeVisible();
  // the list updates by itself as ticks fire every two seconds
  const first = page.locator("tr[data-invocation]").first();
  await expect(first.locator("[data-state]")).toHaveText("SUCCEEDED");
  // the chart of recent invocations: a bar per invocation, coloured by outcome
  await expect(page.getByTestId("invocation-chart").locator(".recharts-bar-rectangle").first()).toBeVisible();
  await expect(page.getByTestId("invocation-chart")).toContainText(/SUCCEEDED \d+/);
  // the log of the job's latest triage (which alternates between starting an invocation and noting it finished)
  await expect(page.getByTestId("triage-log")).toContainText(/\[\d{3} ms\] \d+ pending trigger\(s\), \d+ active invocation\(s\)/);
  await expect(page.getByTestId("triage-log")).toContainText("policy GREEDY_BATCHING");
  await first.getByRole("link").click();
  await expect(page.getByTestId("debug-log")).toContainText("stdout:");
  await expect(page.getByTestId("debug-log")).toContainText("tick");
});

test("an operator pauses a job with a reason, sees it, and resumes it", async ({ page }) => {
  await page.goto("/jobs/e2e/ticker");
  await page.getByRole("button", { name: "Pause" }).click();
  const dialog = page.getByRole("dialog", { name: /Pause e2e\/ticker/ });
  await dialog.getByRole("button", { name: "Pause job" }).click();
  await expect(dialog.getByRole("alert")).toContainText("say why the job is paused");
  await dialog.getByLabel("Reason").fill("database maintenance");
  await dialog.getByRole("button", { name: "Pause job" }).click();
  await expect(page.getByRole("status")).toContainText("“database maintenance”");
  await expect(page.getByTestId("job-state")).toHaveText("PAUSED");
  await page.goto("/jobs/e2e");
  await expect(page.locator('tr[data-job="e2e/ticker"]')).toContainText("database maintenance");
  await page.locator('tr[data-job="e2e/ticker"]').getByRole("button", { name: "Resume" }).click();
  await expect(page.locator('tr[data-job="e2e/ticker"] [data-state]')).not.toHaveText("PAUSED");
});

test("an operator triggers a job by hand and follows the invocation to SUCCEEDED", async ({ page }) => {
  await page.goto("/jobs/e2e/manual");
  await expect(page.getByTestId("job-state")).toHaveText("WAITING");
  await page.getByRole("button", { name: "Trigger" }).click();
  const row = page.locator("tr[data-invocation]").first();
  await expect(row).toBeVisible();
  await row.getByRole("link").click();
  await expect(page.getByTestId("invocation-state")).toHaveText("SUCCEEDED");
  await expect(page.getByTestId("debug-log")).toContainText("hello from manual");
  await expect(page.getByTestId("debug-log")).toContainText("invocation SUCCEEDED");
  // its history from the event log: created by triage, launched and ended by the worker
  const history = page.getByTestId("invocation-history");
  await expect(history.locator('[data-action="succeeded"]')).toBeVisible();
  await expect(history.locator('[data-action="created"]')).toContainText("system:scheduler");
  await expect(history.locator('[data-action="launched"]')).toContainText("worker:");
  await expect(page.getByTestId("history-total")).toHaveText("3 events, oldest first");
});

test("an operator aborts a long-running invocation", async ({ page }) => {
  await page.goto("/jobs/e2e/slow");
  await page.getByRole("button", { name: "Trigger" }).click();
  await page.locator("tr[data-invocation]").first().getByRole("link").click();
  await expect(page.getByTestId("invocation-state")).toHaveText("RUNNING");
  await page.getByRole("button", { name: "Abort" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Abort invocation" }).click();
  await expect(page.getByTestId("invocation-state")).toHaveText("ABORTED");
  await expect(page.getByTestId("debug-log")).toContainText("invocation ABORTED by user:admin"); // the signed-in user (e2e/auth.ts)
  await expect(page.getByTestId("invocation-history").locator('[data-action="aborted"]')).toContainText("user:admin");
});
