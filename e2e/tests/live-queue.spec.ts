import { expect, test, type APIRequestContext } from "@playwright/test";

const QUEUE = "e2e_live_drain";
const JOBS = 30;

async function call(request: APIRequestContext, path: string, input: unknown) {
  const r = await request.post(`/api/trpc/queues.${path}`, { data: input });
  expect(r.ok(), await r.text()).toBe(true);
  return (await r.json()).result.data;
}

/** A consumer outside the browser: claims `n` jobs and acks them as succeeded. */
async function drain(request: APIRequestContext, n: number) {
  const { jobs } = await call(request, "dequeueJobs", { queueName: QUEUE, limit: n });
  const done = Object.keys(jobs).map((jobDescriptor) => ({ jobDescriptor }));
  await call(request, "ackDequeuedJobs", { queueName: QUEUE, jobsSucceeded: done });
}

test("an operator watches a queue drain with no reload and no polling: only the event stream", async ({ page, request }) => {
  await call(request, "createQueue", { name: QUEUE });
  await call(request, "enqueueJobs", { queueName: QUEUE, jobs: Array.from({ length: JOBS }, (_, i) => ({ body: `job-${i}` })) });

  const requests: { at: number; path: string; type: string }[] = [];
  page.on("request", (r) => requests.push({ at: Date.now(), path: new URL(r.url()).pathname, type: r.resourceType() }));
  const documentLoads = () => requests.filter((r) => r.type === "document").length;

  await page.goto(`/queues/${QUEUE}`);
  const pending = page.locator('[data-count="PENDING"]');
  const succeeded = page.locator('[data-count="SUCCEEDED"]');
  await expect(pending).toHaveText(String(JOBS));
  await expect.poll(() => requests.filter((r) => r.path === "/api/events/changes").length).toBe(1);

  // idle: nothing changes, nothing is fetched (the old dashboard refetched every 1.5 s)
  const quietFrom = Date.now() + 500; // the page's first fetches have settled
  await page.waitForTimeout(3500);
  expect(requests.filter((r) => r.at >= quietFrom && r.path.startsWith("/api/trpc"))).toEqual([]);

  // a consumer drains it in steps; each step shows up without a reload (measured from the ack's answer:
  // the event's delivery, the page's refetch and its render; the process test bounds delivery alone at 500 ms)
  const latencies: number[] = [];
  for (let left = JOBS; left > 0; left -= 10) {
    await drain(request, 10);
    const acked = Date.now();
    await expect(pending).toHaveText(String(left - 10));
    await expect(succeeded).toHaveText(String(JOBS - left + 10));
    latencies.push(Date.now() - acked);
  }
  // no bound here beyond expect's: readers of the log wait for every older writing transaction on the whole
  // server, and on a shared CI server another database's long load can hold them for seconds
  console.log(`drain steps shown ${latencies.join(", ")} ms after their acks`);
  // still the one page load and the one event stream
  expect(documentLoads()).toBe(1);
  expect(requests.filter((r) => r.path === "/api/events/changes")).toHaveLength(1);

  // the list of jobs followed too (the tab is the operator's click: its fetch is theirs)
  await page.getByRole("tab", { name: "SUCCEEDED" }).click();
  await expect(page.locator("tr[data-job]")).toHaveCount(25); // one page of them

  // and quiet again once the drain is over
  const after = Date.now() + 500;
  await page.waitForTimeout(3500);
  expect(requests.filter((r) => r.at >= after && r.path.startsWith("/api/trpc"))).toEqual([]);
  expect(requests.filter((r) => r.path === "/api/events/changes")).toHaveLength(1);
});
