// Signing in and out of the dashboard, and what the API answers without a
// session. Every test here starts signed out (no saved state) and makes its
// own sessions, so signing out never ends the one the other specs share.
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { ADMIN, LOCKOUT_USER } from "../auth.ts";

const SIGNED_OUT = { cookies: [], origins: [] };
test.use({ storageState: SIGNED_OUT });

async function signIn(page: Page, login: string, password: string) {
  await page.getByLabel("Login").fill(login);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

const json = { "content-type": "application/json" };
/** The form's own message (Next's route announcer is an alert too). */
const formAlert = (page: Page) => page.getByRole("form", { name: "Sign in" }).getByRole("alert");

test("a wrong password is refused on the page, and the form stays", async ({ page }) => {
  await page.goto("/sign-in");
  await signIn(page, ADMIN.login, "not-the-password");
  await expect(formAlert(page)).toHaveText("Unknown login or wrong password.");
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByLabel("Password")).toBeVisible();
});

test("a page asked for signed out goes to sign-in, then back to it with the user's name in the header", async ({ page }) => {
  await page.goto("/queues?x=1");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fqueues%3Fx%3D1$/);
  await signIn(page, ADMIN.login, ADMIN.password);
  await expect(page).toHaveURL(/\/queues\?x=1$/);
  await expect(page.getByRole("heading", { name: "Queues", exact: true })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" })).toContainText(ADMIN.displayName);
});

test("signing in from the sign-in page itself lands on the dashboard", async ({ page }) => {
  await page.goto("/sign-in?next=https%3A%2F%2Fevil.example%2F");
  await signIn(page, ADMIN.login, ADMIN.password);
  await expect(page).toHaveURL(/\/jobs$/); // "/" is the dashboard; another site is never a destination
});

test("signing out returns to sign-in, and the dashboard stays closed after a reload", async ({ page }) => {
  await page.goto("/sign-in");
  await signIn(page, ADMIN.login, ADMIN.password);
  await expect(page).toHaveURL(/\/jobs$/);
  await page.goto("/queues");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  expect((await page.context().cookies()).map((c) => c.name)).not.toContain("hourglass_session");
  await page.goto("/queues");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fqueues$/);
  await page.reload();
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fqueues$/);
});

test("a session ended elsewhere sends the open page to sign-in", async ({ page, playwright, baseURL }) => {
  await page.goto("/sign-in?next=%2Fqueues");
  await signIn(page, ADMIN.login, ADMIN.password);
  await expect(page).toHaveURL(/\/queues$/);
  // the same session, ended from another client: the browser still holds the cookie
  const elsewhere = await playwright.request.newContext({ baseURL, storageState: { cookies: await page.context().cookies(), origins: [] } });
  expect((await elsewhere.delete("/api/session", { headers: json })).status()).toBe(200);
  await elsewhere.dispose();
  // the page's next refresh gets 401 and the client goes to sign-in, to come back here
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fqueues$/);
});

test("too many failed sign-ins lock the account, and the page says so", async ({ page, playwright, baseURL }) => {
  const api = await playwright.request.newContext({ baseURL, storageState: SIGNED_OUT });
  for (let i = 0; i < 5; i++) {
    const r = await api.post("/api/session", { data: { login: LOCKOUT_USER.login, password: `wrong ${i}` } });
    expect(r.status()).toBe(401);
  }
  await api.dispose();
  await page.goto("/sign-in");
  await signIn(page, LOCKOUT_USER.login, LOCKOUT_USER.password); // right, but too late
  await expect(formAlert(page)).toContainText("Too many failed sign-ins");
  await expect(page).toHaveURL(/\/sign-in$/);
});

test.describe("the session route", () => {
  let api: APIRequestContext;
  test.beforeEach(async ({ playwright, baseURL }) => {
    api = await playwright.request.newContext({ baseURL, storageState: SIGNED_OUT });
  });
  test.afterEach(() => api.dispose());

  test("sets an HttpOnly, SameSite=Lax session cookie for the session's lifetime, and clears it on sign-out", async () => {
    const r = await api.post("/api/session", { data: { login: ADMIN.login, password: ADMIN.password } });
    expect(r.status()).toBe(200);
    expect(await r.json()).toEqual({ user: { id: "user:admin", displayName: ADMIN.displayName } });
    const set = r.headers()["set-cookie"]!;
    expect(set).toMatch(/^hourglass_session=[A-Za-z0-9_-]{43}; /);
    expect(set).toContain("HttpOnly");
    expect(set).toContain("SameSite=Lax");
    expect(set).toContain("Path=/");
    expect(set).toContain("Max-Age=43200");
    expect(set).not.toContain("Secure"); // plain http on loopback
    const out = await api.delete("/api/session", { headers: json });
    expect(out.status()).toBe(200);
    expect(out.headers()["set-cookie"]).toMatch(/^hourglass_session=; .*Max-Age=0/);
  });

  test("takes JSON only, and says what is wrong with bad input", async () => {
    const form = await api.post("/api/session", { form: { login: ADMIN.login, password: ADMIN.password } });
    expect(form.status()).toBe(415);
    const missing = await api.post("/api/session", { data: { login: ADMIN.login } });
    expect(missing.status()).toBe(400);
    expect((await missing.json()).error).toMatchObject({ errorCode: "INVALID_ARGUMENT" });
    const wrong = await api.post("/api/session", { data: { login: "nobody", password: "whatever-it-is" } });
    expect(wrong.status()).toBe(401);
    expect((await wrong.json()).error).toEqual({ message: "unknown login or wrong password", errorCode: "INVALID_CREDENTIALS" });
  });

  test("refuses a sign-in posted by another site's page", async () => {
    const r = await api.post("/api/session", { data: { login: ADMIN.login, password: ADMIN.password }, headers: { origin: "https://evil.example" } });
    expect(r.status()).toBe(403);
    expect(r.headers()["set-cookie"]).toBeUndefined();
  });
});

test("the API answers 401 without credentials or with bad ones, and whoami answers anyone", async ({ playwright, baseURL }) => {
  const api = await playwright.request.newContext({ baseURL, storageState: SIGNED_OUT });
  const names = await api.get("/api/trpc/queues.getQueueNames");
  expect(names.status()).toBe(401);
  expect((await names.json()).error.data.errorCode).toBe("UNAUTHENTICATED");
  const badToken = await api.get("/api/trpc/queues.getQueueNames", { headers: { authorization: `Bearer hg_${"A".repeat(20)}_${"b".repeat(43)}` } });
  expect(badToken.status()).toBe(401);
  const badCookie = await api.get("/api/trpc/queues.getQueueNames", { headers: { cookie: `hourglass_session=${"c".repeat(43)}` } });
  expect(badCookie.status()).toBe(401);
  const who = await api.get("/api/trpc/access.whoami");
  expect(who.status()).toBe(200);
  expect((await who.json()).result.data).toMatchObject({ kind: "anonymous", anonymous: true });
  await api.dispose();
});
