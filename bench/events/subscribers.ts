// The benchmark's subscribers, in a process of their own (so that reading
// their streams does not slow the writer down): N SSE clients of one URL.
// Prints "connected" once every one is; on a line "report <path>" on stdin,
// writes every receipt so far ([job id, Date.now() at receipt] per event and
// subscriber) to <path> as JSON and prints "reported".
import { writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { SseClient } from "../../packages/engine/test/sse-client.ts";

const [url, token, count] = process.argv.slice(2);
const receipts: [string, number][] = [];
const jobOf = /"entityId":"([^"]*)"/;
const clients = Array.from({ length: Number(count) }, () =>
  new SseClient(url!, { authorization: `Bearer ${token}` }, (m) => receipts.push([jobOf.exec(m.data)![1]!, m.receivedAt]), false).start());

const connected = setInterval(() => {
  if (clients.every((c) => c.connects === 1 && c.lastId !== "")) {
    clearInterval(connected);
    console.log("connected");
  }
}, 10);

for await (const line of createInterface({ input: process.stdin })) {
  const [command, path] = line.split(" ");
  if (command === "count") console.log(`count ${receipts.length}`);
  if (command === "report") {
    writeFileSync(path!, JSON.stringify(receipts));
    receipts.length = 0;
    console.log("reported");
  }
  if (command === "stop") break;
}
await Promise.all(clients.map((c) => c.stop()));
process.exit(0);
