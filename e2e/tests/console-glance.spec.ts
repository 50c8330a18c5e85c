import { expect, test, type Page } from "@playwright/test";

/** Starts a request of `type` from the Requests page's form; its id. */
async function startRequest(page: Page, type: string): Promise<string> {
  await page.goto("/requests");
  await page.getByRole("button", { name: "Start a request" }).click();
  const dialog = page.getByRole("dialog", { name: "Start a request" });
  await dialog.getByLabel("Request type").selectOption(type);
  await dialog.getByRole("button", { name: "Start" }).click();
  await expect(page).toHaveURL(/\/requests\/[a-z0-9]+$/);
  return page.url().split("/").pop()!;
}

/** The rendered size in px of each node label in view: its CSS font size times the graph's zoom (rect height / layout height). */
const labelSizes = (page: Page) => page.locator("[data-chain-label]").evaluateAll((els) => {
  const box = document.querySelector('[data-testid="chain-graph"]')!.getBoundingClientRect();
  return els.flatMap((el) => {
    const r = el.getBoundingClientRect();
    const inView = r.right > box.left && r.left < box.right && r.bottom > box.top && r.top < box.bottom;
    const h = (el as HTMLElement).offsetHeight;
    return inView && h > 0 ? [parseFloat(getComputedStyle(el).fontSize) * (r.height / h)] : [];
  });
});

test("a 52-job chain opens with a legend and legible labels, durations and its critical path; a sequence focuses on a click", async ({ page }) => {
  await startRequest(page, "glance-wide");
  const graph = page.getByTestId("chain-graph");
  await expect(graph).toBeVisible();
  await expect(page.locator('[data-testid^="chain-node-"]')).toHaveCount(52);
  const legend = page.getByTestId("graph-legend");
  for (const state of ["PENDING", "RUNNING", "COMPLETE", "FAIL", "STOPPED"]) await expect(legend.locator(`[data-legend="${state}"]`)).toBeVisible();
  // at the initial zoom: many labels in view, every one at least 10 px
  const sizes = await labelSizes(page);
  expect(sizes.length).toBeGreaterThanOrEqual(6);
  expect(Math.min(...sizes)).toBeGreaterThanOrEqual(10);

  await expect(page.getByTestId("request-state")).toHaveText("COMPLETE", { timeout: 30_000 });
  // each finished node says how long it took; the slow prep job is on the critical path, which the legend explains
  await expect(page.getByTestId("chain-node-prep").locator("[data-duration]")).toHaveText(/\d+(\.\d)? (ms|s)$/);
  await expect(page.getByTestId("chain-node-prep")).toHaveAttribute("data-critical", "true");
  await expect(legend.locator('[data-legend="critical"]')).toBeVisible();
  // state is said by an icon too, not only by colour
  await expect(page.getByTestId("chain-node-prep").getByRole("img", { name: "complete" })).toBeVisible();

  // a sequence's caption in view (the graph opens on the chain's start; the others are panned away)
  const captions = page.getByTestId("chain-sequence");
  const inView = await captions.evaluateAll((els) => {
    const box = document.querySelector('[data-testid="chain-graph"]')!.getBoundingClientRect();
    return els.findIndex((el) => {
      const r = el.getBoundingClientRect();
      return r.left >= box.left && r.right <= box.right && r.top >= box.top && r.bottom <= box.bottom;
    });
  });
  expect(inView).toBeGreaterThanOrEqual(0);
  await captions.nth(inView).click();
  await expect(page.getByTestId("graph-show-all")).toContainText("Focused on glance-host host=");
  expect(Math.min(...(await labelSizes(page)))).toBeGreaterThanOrEqual(10);
  await page.getByTestId("graph-show-all").click();
  await expect(page.getByTestId("graph-show-all")).toHaveCount(0);
});

test("missing things say 'not found' rather than showing an empty page", async ({ page }) => {
  await page.goto("/queues/no_such_queue_e2e");
  await expect(page.getByTestId("not-found")).toContainText("Queue not found");
  await page.goto("/requests/nosuchrequest0");
  await expect(page.getByTestId("not-found")).toContainText("Request not found");
  await page.goto("/jobs/no-such-project");
  await expect(page.getByTestId("not-found")).toContainText("Project not found");
  await expect(page.getByText("No jobs")).toHaveCount(0);
  await page.goto("/jobs/e2e/no-such-job");
  await expect(page.getByTestId("not-found")).toContainText("Scheduler job not found");
  await page.goto("/no/such/page");
  await expect(page.getByTestId("not-found")).toContainText("Page not found");
});

test("creating a queue that exists says so; the form speaks in the units it asks for", async ({ page }) => {
  const name = `glance_${Date.now()}`;
  await page.goto("/queues");
  await page.getByRole("button", { name: "Create queue" }).click();
  const dialog = page.getByRole("dialog", { name: "Create queue" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("Claim timeout (s)").fill("0.5");
  await dialog.getByRole("button", { name: "Create queue" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("Claim timeout (s): at least 1 s");
  await dialog.getByLabel("Claim timeout (s)").fill("30");
  await dialog.getByRole("button", { name: "Create queue" }).click();
  await expect(page).toHaveURL(new RegExp(`/queues/${name}$`));

  await page.goto("/queues");
  await page.getByRole("button", { name: "Create queue" }).click();
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByRole("button", { name: "Create queue" }).click();
  await expect(dialog.getByTestId("queue-exists")).toContainText(`A queue named ${name} already exists`);
  await expect(page).toHaveURL(/\/queues$/);
  await dialog.getByRole("link", { name: `Open ${name}` }).click();
  await expect(page).toHaveURL(new RegExp(`/queues/${name}$`));

  // the enqueue form: "abc" attempts is named as such, not "received null"
  await page.getByRole("button", { name: "Enqueue job" }).click();
  const enqueue = page.getByRole("dialog", { name: `Enqueue a job on ${name}` });
  await enqueue.getByLabel("Attempts allowed").fill("abc");
  await enqueue.getByRole("button", { name: "Enqueue" }).click();
  await expect(enqueue.getByRole("alert")).toHaveText('Attempts allowed: enter a number, not "abc"');
});

test("a scheduler job's definition is the YAML its project file wrote", async ({ page }) => {
  await page.goto("/jobs/e2e/manual");
  const definition = page.getByTestId("job-definition");
  await expect(definition).toContainText("id: manual");
  await expect(definition).toContainText('task: { kind: shell, command: sh, args: ["-c", "echo hello from manual"] }');
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  const noSidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth && window.innerWidth === 390);

  test("the queues list shows each queue's counts on screen without scrolling sideways", async ({ page }) => {
    const name = `phone_${Date.now()}`;
    for (const [path, input] of [["createQueue", { name }], ["enqueueJobs", { queueName: name, jobs: [{ body: "a" }, { body: "b" }] }]] as const) {
      expect((await page.request.post(`/api/trpc/queues.${path}`, { data: input })).status()).toBe(200);
    }
    await page.goto("/queues");
    const row = page.locator(`tr[data-queue="${name}"]`);
    await expect(row.locator('[data-count="PENDING"]')).toHaveText("2");
    expect(await noSidewaysScroll(page)).toBe(true);
    for (const state of ["PENDING", "IN_PROGRESS", "SUCCEEDED", "FAILED"]) {
      const count = row.locator(`[data-count="${state}"]`);
      await expect(count).toBeVisible();
      const box = (await count.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    // each count is labelled on screen
    await expect(row.getByText("pending", { exact: true })).toBeVisible();
  });

  test("the project page's actions are in reach", async ({ page }) => {
    await page.goto("/jobs/e2e");
    const job = page.locator('tr[data-job="e2e/manual"]');
    await expect(job.getByRole("button", { name: "Trigger" })).toBeVisible();
    expect(await noSidewaysScroll(page)).toBe(true);
    const box = (await job.getByRole("button", { name: "Trigger" }).boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
  });
});
