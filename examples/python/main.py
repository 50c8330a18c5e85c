"""Hourglass's plain-JSON API from Python's standard library.

Queries are GET /api/trpc/<procedure>?input=<URL-encoded JSON>, mutations are
POST /api/trpc/<procedure> with a JSON body; a result is {"result": {"data": …}},
a failure {"error": {"message": …, "data": {"errorCode": …, "issues": […]}}}.
"""
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

BASE = os.environ.get("HOURGLASS_URL", "http://127.0.0.1:3000").rstrip("/")
TOKEN = os.environ.get("HOURGLASS_TOKEN", "")
QUEUE = os.environ.get("HOURGLASS_QUEUE", "python_example")


class HourglassError(Exception):
    """A failed call: the API's message, its error code and HTTP status."""

    def __init__(self, status, message, code):
        super().__init__(f"{message} ({code}, HTTP {status})")
        self.status = status
        self.code = code


def call(procedure, input=None, mutation=False):
    """One procedure call; returns result.data or raises HourglassError."""
    headers = {"authorization": f"Bearer {TOKEN}", "accept": "application/json"}
    url = f"{BASE}/api/trpc/{procedure}"
    body = None
    if mutation:
        headers["content-type"] = "application/json"
        body = json.dumps(input if input is not None else {}).encode()
    elif input is not None:
        url += "?input=" + urllib.parse.quote(json.dumps(input))
    request = urllib.request.Request(url, data=body, headers=headers, method="POST" if mutation else "GET")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)["result"]["data"]
    except urllib.error.HTTPError as err:
        try:
            error = json.load(err)["error"]
        except ValueError:
            raise HourglassError(err.code, err.reason, "UNKNOWN") from None
        raise HourglassError(err.code, error["message"], error.get("data", {}).get("errorCode")) from None


def main():
    if not TOKEN:
        sys.exit("set HOURGLASS_TOKEN to an API token (hg_…)")
    me = call("access.whoami")
    print(f"signed in as {me['id']}")

    created = call("queues.createQueue", {"name": QUEUE}, mutation=True)
    print(f"queue {QUEUE}: {'created' if created['created'] else 'already there'}")

    jobs = [{"body": json.dumps({"to": "ada@example.com"}), "priority": 1},
            {"body": json.dumps({"to": "bob@example.com"}), "priority": 2, "numAttemptsAllowed": 3}]
    enqueued = call("queues.enqueueJobs", {"queueName": QUEUE, "jobs": jobs}, mutation=True)
    print("enqueued " + " ".join(enqueued["jobDescriptors"]))

    dequeued = call("queues.dequeueJobs", {"queueName": QUEUE, "limit": 10}, mutation=True)
    claimed = list(dequeued["jobs"].items())
    print(f"dequeued {len(claimed)}: " + " ".join(d for d, _ in claimed))

    # the first one succeeded, the others failed and come back in a minute (their claim guards the ack)
    meta = dequeued["jobMetadata"]
    ack = lambda d: {"jobDescriptor": d, "claimDescriptor": meta[d]["claimDescriptor"]}
    succeeded = [ack(d) for d, _ in claimed[:1]]
    failed = [dict(ack(d), retryDelayMillis=60_000, appendCustomStatus="smtp timeout") for d, _ in claimed[1:]]
    acked = call("queues.ackDequeuedJobs",
                 {"queueName": QUEUE, "jobsSucceeded": succeeded, "jobsFailed": failed}, mutation=True)
    print(f"acked {acked['acked']}")

    # PinLater's countFutureJobs counts only the jobs not due yet (the failed one waits its retry delay)
    counts = [("PENDING, due", "PENDING", False), ("PENDING, later", "PENDING", True),
              ("IN_PROGRESS", "IN_PROGRESS", False), ("SUCCEEDED", "SUCCEEDED", False), ("FAILED", "FAILED", False)]
    for label, state, future in counts:
        count = call("queues.getJobCount", {"queueName": QUEUE, "jobState": state, "countFutureJobs": future})
        print(f"{label}: {count['count']}")


if __name__ == "__main__":
    try:
        main()
    except HourglassError as err:
        print(f"hourglass: {err}", file=sys.stderr)
        sys.exit(1)
    except urllib.error.URLError as err:
        print(f"hourglass: cannot reach {BASE}: {err.reason}", file=sys.stderr)
        sys.exit(1)
