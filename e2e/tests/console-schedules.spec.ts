import { expect, test } from "@playwright/test";

// e2e/projects/schedules.yaml: quarter-hourly ("*/15 * * * *" in Europe/Berlin, 30 s jitter) and flaky
// (always fails, pause_after_failures: 3).

test("the job page previews the next 10 runs in the schedule's zone", async ({ page }) => {
  await page.goto("/jobs/schedules/quarter-hourly");
  const runs = page.getByTestId("next-runs").locator("li");
  await expect(runs).toHaveCount(10);
  await expect(page.getByText("Next 10 runs in Europe/Berlin")).toBeVisible();
  await expect(page.getByTestId("schedule-options")).toHaveText("jitter up to 30 s");
  // each run is its slot (a quarter hour, Berlin time) plus that slot's jitter
  await expect(runs.first()).toContainText(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (CET|CEST|GMT\+\d)/);
  const slots = await runs.evaluateAll((items) => items.map((li) => li.getAttribute("data-slot")));
  expect(slots.every((s) => /T\d\d:(00|15|30|45):00\.000Z$/.test(s ?? ""))).toBe(true);
});

test("a backfill of the last hour runs one invocation per slot, as one batch with its progress", async ({ page }) => {
  await page.goto("/jobs/schedules/quarter-hourly");
  await page.getByRole("button", { name: "Backfill" }).click();
  const dialog = page.getByRole("dialog", { name: "Backfill schedules/quarter-hourly" });
  await dialog.getByRole("button", { name: "Last hour" }).click();
  await dialog.getByRole("radio", { name: /^One after another/ }).check();
  await dialog.getByLabel("Reason (optional)").fill("e2e: the last hour");
  await dialog.getByRole("button", { name: "Check" }).click();
  // the dry run says what will happen before anything does: an hour holds 4 quarter hours
  await expect(dialog.getByTestId("backfill-plan")).toContainText("4 slot(s)");
  await dialog.getByRole("button", { name: "Run 4 invocation(s)" }).click();
  await expect(dialog).toBeHidden();
  const batch = page.getByTestId("backfills").locator("li[data-backfill]").first();
  await expect(batch).toContainText("e2e: the last hour");
  await expect(batch.getByTestId("backfill-counts")).toContainText("4 succeeded · 0 failed · 0 aborted · 0 running · 0 waiting · 0 skipped");
  await expect(batch.locator("[data-state]").first()).toHaveText("DONE");
  await expect(batch.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "100");
  // one invocation per slot, each triggered by the backfill
  const backfillId = await batch.getAttribute("data-backfill");
  await expect(page.locator("tr[data-invocation]").filter({ hasText: `backfill:${backfillId}` })).toHaveCount(4);
  await batch.getByRole("button", { name: "Slots" }).click();
  await expect(batch.locator('[data-slot-state="STARTED"]')).toHaveCount(4);
  await batch.locator('[data-slot-state="STARTED"]').first().getByRole("link").click();
  await expect(page.getByTestId("invocation-state")).toHaveText("SUCCEEDED");
  await expect(page.getByTestId("debug-log")).toContainText(`invocation created by backfill ${backfillId} for slot`);
});

test("pause on failure: a job pauses itself after 3 failed invocations, saying so", async ({ page }) => {
  await page.goto("/jobs/schedules/flaky");
  await expect(page.getByTestId("job-state")).toHaveText("WAITING");
  await expect(page.getByTestId("schedule-options")).toHaveText("pauses itself after 3 failed invocations in a row");
  const failed = page.locator("tr[data-invocation]").filter({ has: page.locator('[data-state="FAILED"]') });
  for (let n = 1; n <= 3; n++) {
    await page.getByRole("button", { name: "Trigger" }).click();
    await expect(failed).toHaveCount(n); // each run ends before the next trigger, so none are batched together
  }
  await expect(page.getByTestId("job-state")).toHaveText("PAUSED");
  const banner = page.getByRole("status").filter({ hasText: "Paused by" });
  await expect(banner).toContainText("system:scheduler");
  await expect(banner).toContainText("“paused after 3 consecutive failed invocations”");
  await expect(page.getByRole("button", { name: "Trigger" })).toBeDisabled();
});
