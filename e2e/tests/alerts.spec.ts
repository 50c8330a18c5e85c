// Alerts end to end: an operator creates a webhook alert for a job that
// fails, runs the job from the dashboard, and sees the notification's
// delivery recorded on the Alerts page (state, response code). The webhook
// receiver runs inside the test and checks each request's signature itself
// (HMAC-SHA256 of the raw body with the rule's secret), as a receiver would.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Locator, type Page } from "@playwright/test";

/** e2e/projects/alerts.yaml */
const PROJECT = "alerts";
const RULE = "always-fails is failing";
const SECRET = "e2e-webhook-signing-secret";

interface Call { body: string; signed: boolean; delivery: string }

async function startReceiver(): Promise<{ url: string; calls: Call[]; close: () => Promise<void> }> {
  const calls: Call[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const expected = Buffer.from(`sha256=${createHmac("sha256", SECRET).update(raw).digest("hex")}`);
      const given = Buffer.from(String(req.headers["x-hourglass-signature"] ?? ""));
      calls.push({
        body: raw.toString("utf8"), signed: given.length === expected.length && timingSafeEqual(given, expected),
        delivery: String(req.headers["x-hourglass-delivery"]),
      });
      res.writeHead(200).end("thanks");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hourglass`,
    calls,
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

/**
 * Waits for the delivery's row to say DELIVERED. The page follows the rule's events live; on a busy shared
 * server a long transaction elsewhere holds every follower of the log back, so this reloads as well.
 */
async function recorded(page: Page, row: Locator): Promise<void> {
  await expect(async () => {
    if ((await row.getAttribute("data-state")) !== "DELIVERED") await page.reload();
    await expect(row).toHaveAttribute("data-state", "DELIVERED", { timeout: 3000 });
  }).toPass({ timeout: 60_000 });
}

test("an operator creates a webhook alert for a failing job and sees its delivery recorded", async ({ page }) => {
  // several round trips through the worker (triage, the task, the evaluator, two deliveries) on a shared machine
  test.setTimeout(120_000);
  const receiver = await startReceiver();
  try {
    await page.goto("/alerts");
    await page.getByRole("list", { name: "Projects" }).getByRole("link", { name: PROJECT, exact: true }).click();
    await expect(page.getByRole("heading", { name: `Alerts of ${PROJECT}` })).toBeVisible();

    await page.getByRole("button", { name: "New rule" }).click();
    const dialog = page.getByRole("dialog", { name: `New alert rule in ${PROJECT}` });
    await dialog.getByLabel(/^Name/).fill(RULE);
    await dialog.getByLabel(/^When/).selectOption("invocation_failed");
    await dialog.getByLabel(/^Job/).fill("always-fails");
    await dialog.getByLabel(/^Webhook URL/).fill(receiver.url);
    await dialog.getByLabel(/^Signing secret/).fill(SECRET);
    await dialog.getByLabel(/^Collapse window/).fill("0");
    await dialog.getByRole("button", { name: "Create rule" }).click();
    await expect(page.getByRole("status")).toContainText(`Rule "${RULE}" created.`);
    const row = page.locator(`tr[data-rule="${RULE}"]`);
    await expect(row).toContainText("an invocation failed · job always-fails");
    await expect(page.getByText("No notifications yet")).toBeVisible();
    const rulePage = page.url();

    // the secret is write-only: editing shows it as set, never its value
    await row.getByRole("button", { name: "Edit" }).click();
    const edit = page.getByRole("dialog", { name: `Edit ${RULE}` });
    await expect(edit.getByLabel(/^Signing secret/)).toHaveValue("");
    await expect(edit.getByLabel(/^Signing secret/)).toHaveAttribute("placeholder", "(set: leave empty to keep)");
    await edit.getByRole("button", { name: "Cancel" }).click();

    // the job fails when run from its page
    await page.goto(`/jobs/${PROJECT}/always-fails`);
    await page.getByRole("button", { name: "Trigger" }).click();
    await page.locator("tr[data-invocation]").first().getByRole("link").click();
    await expect(page.getByTestId("invocation-state")).toHaveText("FAILED");

    // back on the rule: its notification was delivered, with the receiver's answer
    await expect.poll(() => receiver.calls.length, { timeout: 60_000 }).toBe(1);
    await page.goto(rulePage);
    const delivery = page.getByRole("table", { name: "Deliveries" }).locator("tr[data-delivery]").first();
    await recorded(page, delivery);
    await expect(delivery.getByTestId("response")).toHaveText("200");
    await expect(delivery).toContainText("1 / 8");
    expect(receiver.calls).toHaveLength(1);
    const [call] = receiver.calls;
    expect(call!.signed).toBe(true);
    expect(call!.delivery).toBe(await delivery.getAttribute("data-delivery"));
    const body = JSON.parse(call!.body);
    expect(body).toMatchObject({ type: "hourglass.alert", count: 1, rule: { name: RULE, project: PROJECT, kind: "invocation_failed" } });
    expect(body.firings[0].text).toMatch(/^invocation \d+ of alerts\/always-fails failed/);
    await delivery.getByRole("button", { name: "Details" }).click();
    await expect(page.getByText(/^#1 .* ok 200/)).toBeVisible();

    // "send test" goes through the same queue and shows up as a test delivery
    await page.locator(`tr[data-rule="${RULE}"]`).getByRole("button", { name: "Send test" }).click();
    const tested = page.getByRole("table", { name: "Deliveries" }).locator("tr[data-delivery]").first();
    await expect(tested).toContainText("test");
    await expect.poll(() => receiver.calls.length, { timeout: 60_000 }).toBe(2);
    await recorded(page, tested);
    expect(JSON.parse(receiver.calls[1]!.body)).toMatchObject({ type: "hourglass.alert.test", count: 0 });

    // deleting asks first
    await page.locator(`tr[data-rule="${RULE}"]`).getByRole("button", { name: "Delete" }).click();
    await page.getByRole("dialog", { name: `Delete ${RULE}?` }).getByRole("button", { name: "Delete rule" }).click();
    await expect(page.getByText(`No alert rules in ${PROJECT} yet.`)).toBeVisible();
  } finally {
    await receiver.close();
  }
});
