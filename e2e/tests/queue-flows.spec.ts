import { expect, test, type Page } from "@playwright/test";

/** Creates a queue bound to the shell executor through the dashboard's form. */
async function createShellQueue(page: Page, name: string, script: string, retryDelayMillis = "200") {
  await page.goto("/queues");
  await page.getByRole("button", { name: "Create queue" }).click();
  const dialog = page.getByRole("dialog", { name: "Create queue" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("Executor").selectOption("shell");
  await dialog.getByLabel("Command").fill("sh");
  await dialog.getByLabel("Arguments").fill(`-c\n${script}`);
  await dialog.getByLabel("Retry delay (ms)").fill(retryDelayMillis);
  await dialog.getByRole("button", { name: "Create queue" }).click();
  await expect(page).toHaveURL(new RegExp(`/queues/${name}$`));
  await expect(page.getByRole("heading", { name })).toBeVisible();
}

async function enqueue(page: Page, body: string, attempts = "2") {
  await page.getByRole("button", { name: "Enqueue job" }).click();
  const dialog = page.getByRole("dialog", { name: /Enqueue a job/ });
  await dialog.getByLabel("Body").fill(body);
  await dialog.getByLabel("Attempts allowed").fill(attempts);
  await dialog.getByRole("button", { name: "Enqueue" }).click();
  const notice = page.getByRole("status");
  await expect(notice).toContainText("Enqueued");
  return (await notice.textContent())!.match(/Enqueued (\S+)\./)![1]!;
}

test("an operator runs a shell job and reads its output", async ({ page }) => {
  await createShellQueue(page, "e2e_greet", 'echo "hello $HOURGLASS_JOB_BODY"; echo "a warning" >&2');
  const descriptor = await enqueue(page, "operator");

  // the list updates by itself: the job shows up as SUCCEEDED without a reload
  await page.getByRole("tab", { name: "SUCCEEDED" }).click();
  const row = page.locator(`tr[data-job="${descriptor}"]`);
  await expect(row).toBeVisible();
  await expect(row.locator("[data-state]")).toHaveText("SUCCEEDED");

  await row.getByRole("link", { name: descriptor }).click();
  await expect(page.getByRole("heading", { name: descriptor })).toBeVisible();
  const attempt = page.locator('[data-attempt="1"]');
  await expect(attempt).toContainText("exit code 0");
  await expect(attempt.locator('[data-output="stdout"]')).toHaveText("hello operator");
  await expect(attempt.locator('[data-output="stderr"]')).toHaveText("a warning");
  await expect(page.getByRole("list", { name: "History" })).toContainText("claimed, attempt 1");
});

test("an operator watches a failing job retry, fail, and retries it from the UI", async ({ page }) => {
  await createShellQueue(page, "e2e_flaky", 'echo "try $HOURGLASS_ATTEMPT"; echo "disk full" >&2; exit 7');
  const descriptor = await enqueue(page, "report", "2");
  const id = descriptor.split(":")[1];

  await page.goto(`/queues/e2e_flaky/jobs/${id}`);
  await expect(page.locator("h1 + span [data-state]")).toHaveText("FAILED");
  await expect(page.locator("[data-attempt]")).toHaveCount(2);
  await expect(page.locator('[data-attempt="2"] [data-output="stdout"]')).toHaveText("try 2");
  await expect(page.locator('[data-attempt="1"]')).toContainText("exit code 7");

  await page.goto("/queues/e2e_flaky");
  await expect(page.locator('[data-count="FAILED"]')).toHaveText("1");
  await page.getByRole("button", { name: "Retry failed" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Retry failed jobs" }).click();
  await expect(page.getByRole("status")).toHaveText("1 failed job(s) sent back to pending.");

  // it runs once more (one attempt allowed by the retry) and fails again
  await page.goto(`/queues/e2e_flaky/jobs/${id}`);
  await expect(page.locator("[data-attempt]")).toHaveCount(3);
  await expect(page.locator('[data-attempt="3"] [data-output="stdout"]')).toHaveText("try 3");
  await expect(page.getByRole("list", { name: "History" })).toContainText("retried (1 attempts allowed)");
  await expect(page.locator("h1 + span [data-state]")).toHaveText("FAILED");
});

test("an operator pauses a queue, sees jobs wait, resumes it, and deletes jobs by filter", async ({ page }) => {
  await createShellQueue(page, "e2e_pause", "true");
  await page.getByRole("button", { name: "Pause" }).click();
  // a reason is required, as for pausing a scheduler job
  await page.getByRole("dialog").getByRole("button", { name: "Pause queue" }).click();
  await expect(page.getByRole("dialog").getByRole("alert")).toHaveText("Say why the queue is paused.");
  await page.getByRole("dialog").getByLabel("Reason").fill("e2e: holding jobs");
  await page.getByRole("dialog").getByRole("button", { name: "Pause queue" }).click();
  await expect(page.getByText(/paused by user:admin/)).toBeVisible(); // the signed-in user (e2e/auth.ts)

  const waiting = await enqueue(page, "keep-me-waiting");
  await enqueue(page, "delete-me");
  await expect(page.locator('[data-count="PENDING"]')).toHaveText("2");

  await page.getByRole("button", { name: "Delete jobs…" }).click();
  const del = page.getByRole("dialog", { name: /Delete jobs/ });
  await del.getByLabel("State").selectOption("PENDING");
  await del.getByLabel("Body matches (regex)").fill("^delete");
  await del.getByLabel("I understand").check();
  await del.getByRole("button", { name: "Delete jobs" }).click();
  await expect(page.getByRole("status")).toHaveText("1 job(s) deleted.");
  await expect(page.locator('[data-count="PENDING"]')).toHaveText("1");

  await page.getByRole("button", { name: "Resume" }).click();
  await expect(page.locator('[data-count="SUCCEEDED"]')).toHaveText("1");
  await page.getByRole("tab", { name: "SUCCEEDED" }).click();
  await expect(page.locator(`tr[data-job="${waiting}"]`)).toBeVisible();
});

test("bad input gets the server's clear message and creates nothing", async ({ page }) => {
  await page.goto("/queues");
  await page.getByRole("button", { name: "Create queue" }).click();
  const dialog = page.getByRole("dialog", { name: "Create queue" });
  await dialog.getByLabel("Name").fill("has-dashes");
  await dialog.getByRole("button", { name: "Create queue" }).click();
  await expect(dialog.getByRole("alert")).toContainText("may contain only letters, digits and underscores");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(page.locator('tr[data-queue="has-dashes"]')).toHaveCount(0);
});

test("the queue list works on a phone and in dark mode", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: "dark" });
  const page = await context.newPage();
  await page.goto("/queues");
  await expect(page.locator('tr[data-queue="e2e_greet"]')).toBeVisible();
  // the page itself does not scroll sideways; only the table's own container may
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const [r, g, b] = background.match(/\d+(\.\d+)?/g)!.map(Number);
  expect(r! + g! + b!).toBeLessThan(150); // a dark background
  await page.getByRole("link", { name: "e2e_greet" }).click();
  await expect(page.getByRole("button", { name: "Enqueue job" })).toBeVisible();
  await context.close();
});
