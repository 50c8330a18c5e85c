import { expect, test, type Page } from "@playwright/test";

// a browser away from UTC, so "local" and "UTC" differ
test.use({ timezoneId: "Europe/Berlin" });

/** Starts a long-wait request from the Requests page's form; its id. */
async function startRequest(page: Page): Promise<string> {
  await page.goto("/requests");
  await page.getByRole("button", { name: "Start a request" }).click();
  const dialog = page.getByRole("dialog", { name: "Start a request" });
  await dialog.getByLabel("Request type").selectOption("long-wait");
  await dialog.getByRole("button", { name: "Start" }).click();
  await expect(page).toHaveURL(/\/requests\/[a-z0-9]+$/);
  return page.url().split("/").pop()!;
}

test("the search ('/') jumps to a request by its id, and lists it as recent next time", async ({ page }) => {
  const id = await startRequest(page);
  await page.goto("/queues");
  await expect(page.getByRole("heading", { name: "Queues", exact: true })).toBeVisible();
  await expect(page.getByTestId("open-search")).toBeVisible(); // the palette listens once the page knows who is signed in
  await page.keyboard.press("/");
  const input = page.getByRole("combobox", { name: "Search" });
  await expect(input).toBeFocused();
  await input.fill(id);
  const hit = page.locator(`[data-hit="request"][data-href="/requests/${id}"]`);
  await expect(hit).toBeVisible();
  await expect(hit).toContainText("long-wait");
  await input.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/requests/${id}$`));
  await expect(page.getByTestId("request-state")).toBeVisible();
  // Ctrl-K opens it too; with nothing typed it offers what was opened from it
  await page.keyboard.press("Control+k");
  await expect(page.locator(`[data-hit="recent"][data-href="/requests/${id}"]`)).toBeVisible();
  await page.keyboard.press("Escape");
  // an id that matches nothing says so
  await page.keyboard.press("/");
  await page.getByRole("combobox", { name: "Search" }).fill("nosuchthing0000");
  await expect(page.getByText("Nothing found for “nosuchthing0000”.")).toBeVisible();
});

test("a reload keeps the Requests page's filters, time range and page", async ({ page }) => {
  const id = await startRequest(page);
  await page.goto("/requests");
  await page.getByLabel("Type", { exact: true }).selectOption("long-wait");
  await page.getByLabel("Time range").selectOption("1h");
  await page.getByRole("group", { name: "States" }).locator("label", { hasText: "RUNNING" }).getByRole("checkbox").check();
  await expect(page).toHaveURL(/type=long-wait/);
  await expect(page).toHaveURL(/range=1h/);
  await expect(page).toHaveURL(/states=RUNNING/);
  await expect(page.locator(`[data-request="${id}"]`)).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Type", { exact: true })).toHaveValue("long-wait");
  await expect(page.getByLabel("Time range")).toHaveValue("1h");
  await expect(page.getByRole("group", { name: "States" }).locator("label", { hasText: "RUNNING" }).getByRole("checkbox")).toBeChecked();
  await expect(page.locator(`[data-request="${id}"]`)).toBeVisible();
  // an args filter that no request has empties the list, and survives a reload too
  await page.getByLabel("Args", { exact: true }).fill("nosuch=arg");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByText("No requests match.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Args", { exact: true })).toHaveValue("nosuch=arg");
  await expect(page.getByText("No requests match.")).toBeVisible();
  // a custom range is read in the viewer's zone, named beside it
  await page.getByLabel("Time range").selectOption("custom");
  await expect(page.getByTestId("range-zone")).toContainText("in ");
});

test("times switch to UTC (and to a chosen zone), remembered by the browser", async ({ page }) => {
  const id = await startRequest(page);
  await page.goto("/requests");
  const created = page.locator(`[data-request="${id}"] time`);
  await expect(created).toBeVisible();
  const iso = await created.getAttribute("datetime");
  await expect(created).toHaveAttribute("data-zone", "Europe/Berlin");
  const zone = page.getByTestId("zone-switcher");
  await zone.selectOption("UTC");
  await expect(created).toHaveAttribute("data-zone", "UTC");
  // absolute, 24-hour, in UTC, with the relative time beside it
  const utc = iso!.replace("T", " ").slice(0, 19);
  await expect(created).toContainText(`${utc} UTC`);
  await expect(created).toContainText(/ago|now/);
  await page.reload();
  await expect(page.locator(`[data-request="${id}"] time`)).toHaveAttribute("data-zone", "UTC");
  await expect(page.getByTestId("zone-switcher")).toHaveValue("UTC");
  // another zone by name
  await page.getByTestId("zone-switcher").selectOption("pick");
  const dialog = page.getByRole("dialog", { name: "Show times in" });
  await dialog.getByLabel("IANA time zone").fill("Mars/Olympus");
  await dialog.getByRole("button", { name: "Use this zone" }).click();
  await expect(dialog.getByRole("alert")).toContainText("is not a time zone");
  await dialog.getByLabel("IANA time zone").fill("Asia/Tokyo");
  await dialog.getByRole("button", { name: "Use this zone" }).click();
  const tokyo = page.locator(`[data-request="${id}"] time`);
  await expect(tokyo).toHaveAttribute("data-zone", "Asia/Tokyo");
  const inTokyo = new Date(Date.parse(iso!) + 9 * 3_600_000).toISOString().replace("T", " ").slice(0, 19);
  await expect(tokyo).toContainText(inTokyo);
  // back to UTC for the specs after this one
  await page.getByTestId("zone-switcher").selectOption("UTC");
});
