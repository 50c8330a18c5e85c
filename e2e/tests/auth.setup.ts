// Signs in as the admin through the real sign-in page, once per run, and
// saves the browser's state (the session cookie) for every spec.
import { expect, test as setup } from "@playwright/test";
import { ADMIN, ADMIN_STATE } from "../auth.ts";

setup("sign in as the admin", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Login").fill(ADMIN.login);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/jobs$/);
  await page.context().storageState({ path: ADMIN_STATE });
});
