import { expect, test } from "@playwright/test";

test("an operator finds a procedure in the API reference and the document it is drawn from", async ({ page, browser }) => {
  await page.goto("/jobs");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API" }).click();
  await expect(page).toHaveURL(/\/api-docs$/);
  await expect(page.getByRole("heading", { name: "API reference" })).toBeVisible();
  for (const router of ["queues", "scheduler", "requests", "access"]) {
    await expect(page.getByRole("heading", { name: router, exact: true })).toBeVisible();
  }
  const enqueue = page.locator('li[id="queues.enqueueJobs"]');
  await enqueue.locator("summary").click();
  await expect(enqueue.getByRole("cell", { name: "queueName", exact: true })).toBeVisible();
  await expect(enqueue.getByText("at most 10000 items")).toBeVisible();
  await expect(enqueue.getByRole("row", { name: /jobs\[\]\.priority\?.*default 1; 1 – 3/ })).toBeVisible();
  await expect(enqueue.locator("pre")).toContainText("POST");

  // the document itself needs no session
  const anonymous = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  try {
    const res = await anonymous.request.get(new URL("/api/openapi.json", page.url()).toString());
    expect(res.status()).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.paths["/api/trpc/queues.enqueueJobs"].post.operationId).toBe("queues.enqueueJobs");
  } finally {
    await anonymous.close();
  }
});
