import { expect, test } from "@playwright/test";
import { ADMIN } from "../auth.ts";

test("an operator pauses a queue, then finds it among their own actions in the audit log", async ({ page }) => {
  const me = `user:${ADMIN.login}`;
  const created = await page.request.post("/api/trpc/queues.createQueue", { data: { name: "e2e_audit" } });
  expect(created.status()).toBe(200);

  await page.goto("/queues/e2e_audit");
  await page.getByRole("button", { name: "Pause" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Reason").fill("audit e2e: maintenance");
  await dialog.getByRole("button", { name: "Pause queue" }).click();
  await expect(page.getByText(new RegExp(`paused by ${me}`))).toBeVisible();

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit" }).click();
  await expect(page).toHaveURL(/\/audit$/);
  await page.getByLabel("My actions").check();
  await expect(page).toHaveURL(/\/audit\?mine=1$/);
  const row = page.locator('tr[data-action="paused"]', { hasText: "e2e_audit" });
  await expect(row).toBeVisible();
  await expect(row.locator("[data-actor]")).toHaveText(me);
  await expect(row).toContainText("audit e2e: maintenance");
  // every row shown is the operator's own
  const actors = await page.locator("tbody [data-actor]").allTextContents();
  expect(actors.length).toBeGreaterThan(0);
  expect(new Set(actors)).toEqual(new Set([me]));

  // the filters live in the URL: a reload keeps them, and narrowing by action too
  await page.reload();
  await expect(page.getByLabel("My actions")).toBeChecked();
  await page.getByLabel("Action", { exact: true }).fill("paused");
  await page.getByLabel("Action", { exact: true }).press("Enter");
  await expect(page).toHaveURL(/\/audit\?mine=1&action=paused$/);
  await expect(row).toBeVisible();
  await expect(page.locator('tbody tr[data-event]:not([data-action="paused"])')).toHaveCount(0);

  // the export uses the same filters
  const href = await page.getByRole("link", { name: "Export CSV" }).getAttribute("href");
  expect(href).toContain(`actor=${encodeURIComponent(me)}`);
  const csv = await (await page.request.get(href!)).text();
  expect(csv.split("\r\n")[0]).toBe("id,cursor,at,project,entityKind,entityId,action,from,to,reason,actor,payload");
  expect(csv).toContain(",default,queue,e2e_audit,paused,ACTIVE,PAUSED,audit e2e: maintenance,user:admin,");

  // the row links to the queue's page
  await row.getByRole("link", { name: "e2e_audit" }).click();
  await expect(page).toHaveURL(/\/queues\/e2e_audit$/);
});
