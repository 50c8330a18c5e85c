import { createRuleInput, SECRET_MASK, type AlertRuleInfo } from "@hourglass/engine/alerts";
import { describe, expect, it } from "vitest";
import { AlertFormError, describeRule, formFromRule, ruleFromForm } from "../src/lib/alert-form";

const stored: AlertRuleInfo = {
  id: "3", project: "demo", name: "nightly", kind: "schedule_late", target: "nightly", condition: { lateMillis: 90_000 },
  channel: { kind: "webhook", url: "https://hooks.example/x", secret: SECRET_MASK }, collapseWindowMillis: 600_000, enabled: true,
  createdAtMillis: 0, createdBy: "user:a", updatedAtMillis: 0, updatedBy: "user:a", lastDelivery: null,
};

describe("the alert rule form", () => {
  it("a new webhook rule sends its secret and the kind's own condition, which the API schema accepts", () => {
    const f = { ...formFromRule(), name: "fails", kind: "queue_backlog" as const, target: "emails", backlog: "500", url: "https://h.example/a", secret: "s".repeat(20) };
    const rule = ruleFromForm(f, false);
    expect(rule).toMatchObject({ kind: "queue_backlog", target: "emails", condition: { backlog: 500 }, collapseWindowMillis: 300_000,
      channel: { kind: "webhook", url: "https://h.example/a", secret: "s".repeat(20) } });
    expect(createRuleInput.safeParse({ ...rule, project: "demo" }).success).toBe(true);
  });

  it("an edit starts from the rule with its secret empty, and an empty secret sends the mask (keep)", () => {
    const f = formFromRule(stored);
    expect([f.lateSeconds, f.windowMinutes, f.secret, f.url]).toEqual(["90", "10", "", "https://hooks.example/x"]);
    expect(ruleFromForm(f, true).channel).toEqual({ kind: "webhook", url: "https://hooks.example/x", secret: SECRET_MASK });
    expect(ruleFromForm({ ...f, secret: "a-new-secret-of-enough-length" }, true).channel).toMatchObject({ secret: "a-new-secret-of-enough-length" });
  });

  it("email: recipients split on commas, its own SMTP server with the password kept on an edit", () => {
    const f = { ...formFromRule(), name: "m", kind: "request_failed" as const, channel: "email" as const, to: "a@x.test, b@x.test\nc@x.test",
      ownSmtp: true, smtpHost: "mail.x.test", smtpPort: "465", smtpSecure: true, smtpUsername: "bot" };
    expect(ruleFromForm(f, true).channel).toEqual({ kind: "email", to: ["a@x.test", "b@x.test", "c@x.test"],
      smtp: { host: "mail.x.test", port: 465, secure: true, username: "bot", password: SECRET_MASK } });
    expect(ruleFromForm(f, false).channel).not.toHaveProperty("smtp.password");
  });

  it("refuses a limit that is not a number, naming the field", () => {
    expect(() => ruleFromForm({ ...formFromRule(), kind: "schedule_late", lateSeconds: "soon" }, false)).toThrow(AlertFormError);
    expect(() => ruleFromForm({ ...formFromRule(), windowMinutes: "" }, false)).toThrow(/Collapse window/);
  });

  it("describes what a rule watches", () => {
    expect(describeRule(stored)).toBe("a slot missed or over 90 s late · job nightly");
    expect(describeRule({ kind: "queue_oldest_pending", target: null, condition: { oldestPendingMillis: 60_000 } }))
      .toBe("oldest pending over 60 s · every queue");
  });
});
