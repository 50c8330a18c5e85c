// Access control end to end: the admin (the saved session of the sign-in
// setup) gives a new user the reader role on the e2e project from the Access
// page; that user, signed in through the sign-in page in a browser of their
// own, sees the project's jobs and queues with the operator buttons disabled,
// and another project's queue as missing. Then an API token made on the
// Tokens page works over plain HTTP, within its scopes, until it is revoked.
import { expect, test, type APIRequestContext } from "@playwright/test";

/** e2e/projects/e2e.yaml: a scheduler project is named after its file. */
const PROJECT = "e2e";
const DANA = { login: "dana", displayName: "Dana Reader", password: "dana-e2e-password" };
/** Queues made for this spec: one in the e2e project, one in a project dana has no role in. */
const QUEUES = { e2e: "e2e_access_reader", other: "e2e_access_other" };
const SIGNED_OUT = { cookies: [], origins: [] };

async function call(request: APIRequestContext, path: string, input: unknown): Promise<unknown> {
  const r = await request.post(`/api/trpc/${path}`, { data: input });
  expect(r.status(), await r.text()).toBe(200);
  return ((await r.json()) as { result: { data: unknown } }).result.data;
}

/** The two queues, as the admin through the API (createQueue is idempotent). */
async function ensureQueues(request: APIRequestContext) {
  await call(request, "queues.createQueue", { name: QUEUES.e2e, project: PROJECT });
  await call(request, "queues.createQueue", { name: QUEUES.other, project: "other" });
}

test("an admin makes a reader of the e2e project, who sees its jobs and queues but may not operate them", async ({ page, browser, request }) => {
  await ensureQueues(request);

  // the admin creates dana on the Users tab, with the reader role on the e2e project
  await page.goto("/access");
  await expect(page.getByRole("table", { name: "Users" })).toBeVisible();
  await page.getByRole("button", { name: "Create user" }).click();
  const dialog = page.getByRole("dialog", { name: "Create user" });
  await dialog.getByLabel(/^Login/).fill(DANA.login);
  await dialog.getByLabel(/^Display name/).fill(DANA.displayName);
  await dialog.getByLabel("Initial password").fill(DANA.password);
  await dialog.getByLabel("Role kind").selectOption("project");
  await dialog.getByLabel("Project", { exact: true }).fill(PROJECT);
  await dialog.getByLabel("Level").selectOption("reader");
  await dialog.getByRole("button", { name: "Add role" }).click();
  await expect(dialog.getByRole("list", { name: "Role bindings" })).toContainText(`${PROJECT} reader`);
  await dialog.getByRole("button", { name: "Create user" }).click();
  const row = page.locator('tr[data-principal="user:dana"]');
  await expect(row).toContainText(DANA.displayName);
  await expect(row.getByRole("list", { name: "Roles" })).toHaveText(`${PROJECT} reader`);
  await expect(row).toContainText("password");

  // dana signs in through the sign-in page, in a browser of her own (the admin's shared session stays signed in)
  const context = await browser.newContext({ storageState: SIGNED_OUT });
  try {
    const dana = await context.newPage();
    await dana.goto("/sign-in");
    await dana.getByLabel("Login").fill(DANA.login);
    await dana.getByLabel("Password").fill(DANA.password);
    await dana.getByRole("button", { name: "Sign in" }).click();
    await expect(dana).toHaveURL(/\/jobs$/);
    const header = dana.getByRole("navigation", { name: "Main" });
    await expect(header).toContainText(DANA.displayName);
    await expect(header.getByRole("link", { name: "Access" })).toHaveCount(0);

    // the project's jobs, with Pause, Abort and Trigger disabled and saying which scope is missing
    await expect(dana.locator(`tr[data-project="${PROJECT}"]`)).toBeVisible();
    await dana.goto(`/jobs/${PROJECT}`);
    const ticker = dana.locator(`tr[data-job="${PROJECT}/ticker"]`);
    await expect(ticker).toBeVisible();
    await expect(ticker.getByRole("button", { name: "Pause" })).toBeDisabled();
    await expect(ticker.getByRole("button", { name: "Pause" })).toHaveAttribute("title", `missing scope scheduler:manage:${PROJECT}/ticker`);
    await dana.goto(`/jobs/${PROJECT}/manual`);
    await expect(dana.getByRole("heading", { name: "manual" })).toBeVisible();
    await expect(dana.getByRole("button", { name: "Pause" })).toBeDisabled();
    await expect(dana.getByRole("button", { name: "Abort" })).toBeDisabled();
    await expect(dana.getByRole("button", { name: "Trigger" })).toHaveAttribute("title", `missing scope scheduler:trigger:${PROJECT}/manual`);

    // another project's job is not listed and its page says "no such job", exactly as for a job that does not exist
    await dana.goto("/jobs");
    await expect(dana.locator('tr[data-project="other"]')).toHaveCount(0);
    await dana.goto("/jobs/other/secret-job");
    const notFound = dana.getByTestId("not-found");
    await expect(notFound).toContainText("Scheduler job not found");
    await expect(notFound).toContainText("There is no scheduler job other/secret-job, or you may not see it.");
    await dana.goto("/jobs/other/no-such-job");
    await expect(notFound).toContainText("There is no scheduler job other/no-such-job, or you may not see it.");

    // the project's queue, read-only; the other project's queue is not in the list and reads as missing
    await dana.goto("/queues");
    await expect(dana.locator(`tr[data-queue="${QUEUES.e2e}"]`)).toBeVisible();
    await expect(dana.locator(`tr[data-queue="${QUEUES.other}"]`)).toHaveCount(0);
    await dana.goto(`/queues/${QUEUES.e2e}`);
    await expect(dana.getByRole("heading", { name: QUEUES.e2e })).toBeVisible();
    await expect(dana.getByRole("button", { name: "Enqueue job" })).toHaveAttribute("title", `missing scope queues:enqueue:${PROJECT}/${QUEUES.e2e}`);
    // (Retry failed is offered only when something failed)
    for (const action of ["Enqueue job", "Pause", "Settings", "Delete jobs…", "Delete queue"]) {
      await expect(dana.getByRole("button", { name: action }), action).toBeDisabled();
    }
    await dana.goto(`/queues/${QUEUES.other}`);
    await expect(notFound).toContainText(`There is no queue ${QUEUES.other}, or you may not see it.`);
    await expect(dana.getByRole("heading", { name: QUEUES.other })).toHaveCount(0);

    // the Access section is not there for her
    await dana.goto("/access");
    await expect(dana.getByTestId("not-found")).toContainText("Page not found");
    await expect(dana.getByRole("table", { name: "Users" })).toHaveCount(0);

    await dana.getByRole("button", { name: "Sign out" }).click();
    await expect(dana).toHaveURL(/\/sign-in$/);
  } finally {
    await context.close();
  }
});

test("a token made on the Tokens page works over plain HTTP within its scopes, until it is revoked", async ({ page, request, playwright, baseURL }) => {
  await ensureQueues(request);
  await page.goto("/tokens");
  await expect(page.getByRole("heading", { name: "My tokens" })).toBeVisible();
  const form = page.getByRole("form", { name: "Create token" });
  await expect(form.getByLabel("Token scopes")).toHaveValue("*"); // the admin's own scopes
  await form.getByLabel("Token name").fill("e2e access token");
  await form.getByLabel("Token scopes").fill(`queues:read:${PROJECT}/*`);
  await form.getByLabel("Expires in (days)").fill("7");
  await form.getByRole("button", { name: "Create token" }).click();

  const secret = page.getByTestId("token-secret");
  await expect(secret.getByRole("alert")).toContainText("shown only once");
  const token = await secret.getByTestId("token-value").inputValue();
  expect(token).toMatch(/^hg_[0-9A-Za-z]{20}_\S+$/);
  await expect(secret.getByTestId("token-header")).toHaveValue(`Authorization: Bearer ${token}`);
  await expect(secret.getByTestId("token-client-id")).toHaveValue(token.split("_")[1]!);

  const api = await playwright.request.newContext({ baseURL, storageState: SIGNED_OUT, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  try {
    const who = await api.get("/api/trpc/access.whoami");
    expect(who.status()).toBe(200);
    const me = ((await who.json()) as { result: { data: { id: string; tokenId: string; scopes: string[] } } }).result.data;
    expect(me).toMatchObject({ id: "user:admin", tokenId: token.split("_")[1], scopes: [`queues:read:${PROJECT}/*`] });

    const listed = await api.get("/api/trpc/queues.getQueueSummaries");
    expect(listed.status()).toBe(200);
    const names = ((await listed.json()) as { result: { data: { name: string }[] } }).result.data.map((q) => q.name);
    expect(names).toContain(QUEUES.e2e);
    expect(names).not.toContain(QUEUES.other);
    const refused = await api.post("/api/trpc/queues.pauseQueue", { data: { name: QUEUES.e2e } });
    expect(refused.status()).toBe(403);

    // revoked from the table (after a confirmation), the token is refused at once
    const row = page.locator("tr", { hasText: "e2e access token" });
    await row.getByRole("button", { name: "Revoke" }).click();
    await page.getByRole("dialog", { name: /Revoke token/ }).getByRole("button", { name: "Revoke token" }).click();
    await expect(row).toContainText("revoked");
    expect((await api.get("/api/trpc/queues.getQueueSummaries")).status()).toBe(401);
  } finally {
    await api.dispose();
  }
});
