// The worker's side: a @hourglass/sdk-worker worker with one handler that
// sends the welcome email over SMTP (nodemailer).
import { createWorker, type Worker } from "@hourglass/sdk-worker";
import nodemailer from "nodemailer";
import type { WelcomeEmail } from "./signup.ts";

export const HANDLER = "send-welcome-email";

export function emailWorker(databaseUrl: string, smtpUrl: string, from: string): Worker {
  const smtp = nodemailer.createTransport(smtpUrl);
  return createWorker({ databaseUrl }, {
    workerId: "signup-email",
    concurrency: 4,
    handlers: {
      [HANDLER]: async ({ job, signal, logger }) => {
        const { email, signupId } = JSON.parse(job.body) as WelcomeEmail;
        if (signal.aborted) throw new Error("stopping before sending");
        const sent = await smtp.sendMail({
          from, to: email, subject: "Welcome!", text: `Hello ${email}, you are sign-up #${signupId}.`,
        });
        logger.info("welcome email sent", { to: email, messageId: sent.messageId });
        return { output: `sent ${sent.messageId} to ${email}` };
      },
    },
  });
}
