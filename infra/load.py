#!/usr/bin/env python3
"""A bounded load run against a local stack (./infra/run-local.sh): slot lookups, bookings,
messages and inbox reads, sequential and concurrent, with latency percentiles. Loopback only;
it stops by itself.

    python3 infra/load.py --url http://127.0.0.1:3000 --operator-key <the banner's operator key>

It sets up a tenant of its own (guest verification off, so bookings are not holds waiting for a
code), books through its agent's page, then writes in the conversations the bookings opened and
reads the agent's inbox.

The figures include DynamoDB Local (a Java process on the same two cores), so they compare runs
on this machine; they are not AWS latencies.
"""

import argparse
import concurrent.futures
import http.client
import json
import statistics
import time
import urllib.parse
import uuid


def request(base, method, path, body=None, headers=None):
    url = urllib.parse.urlparse(base)
    if url.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("load runs against a local stack only")
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    payload = json.dumps(body) if body is not None else None
    all_headers = {"content-type": "application/json", **(headers or {})}
    started = time.perf_counter()
    conn.request(method, path, body=payload, headers=all_headers)
    response = conn.getresponse()
    data = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    conn.close()
    return response.status, (json.loads(data) if data else None), elapsed


def summary(name, samples, statuses):
    samples = sorted(samples)
    q = statistics.quantiles(samples, n=100) if len(samples) > 1 else [samples[0]] * 99
    counts = {s: statuses.count(s) for s in sorted(set(statuses))}
    print(f"{name:<34} n={len(samples):<4} p50={q[49]:6.1f} ms  p95={q[94]:6.1f} ms  p99={q[98]:6.1f} ms  statuses={counts}")


def setup(base, operator_key):
    """A tenant, a PBX and an agent of the load run's own; returns (slug, agent token)."""
    auth = lambda key: {"authorization": f"Bearer {key}"}
    status, tenant, _ = request(base, "POST", "/v1/tenants", {"name": "Load", "guest_verification": "off"}, auth(operator_key))
    if status != 201:
        raise SystemExit(f"could not create the load tenant ({status}): is --operator-key the banner's?")
    admin = tenant["admin_key"]
    pbx = request(base, "POST", "/v1/pbxs", {"name": "Load site"}, auth(admin))[1]
    body = {"name": "Load Agent", "email": "load-agent@example.com", "pbx_id": pbx["id"], "time_zone": "Europe/Rome"}
    agent = request(base, "POST", "/v1/agents", body, auth(admin))[1]
    return agent["agent"]["slug"], agent["token"]


def talk(base, agent_token, booked, messages, workers):
    """Messages written by the agent and by guests (their manage tokens), then inbox pages."""
    auth = {"authorization": f"Bearer {agent_token}"}
    pairs = [(b["conversation"]["id"], b["manage_token"]) for b in booked][:messages]
    def write(pair, token=None):
        conversation, manage = pair
        headers = {"authorization": f"Bearer {token or manage}"}
        return request(base, "POST", f"/v1/conversations/{conversation}/messages", {"text": "Load test message"}, headers)
    results = [write(p, agent_token) for p in pairs]
    summary("message by the agent (sequential)", [r[2] for r in results], [r[0] for r in results])
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(write, pairs))
    summary(f"message by guests ({workers} at once)", [r[2] for r in results], [r[0] for r in results])
    # Everyone in one conversation at once: the writes are ordered, some retry.
    one = pairs[0]
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(lambda _: write(one, agent_token), range(workers * 4)))
    summary(f"message, one conversation ({workers} at once)", [r[2] for r in results], [r[0] for r in results])
    results = [request(base, "GET", "/v1/me/conversations?limit=50", None, auth) for _ in range(messages)]
    summary("inbox page of 50 (sequential)", [r[2] for r in results], [r[0] for r in results])
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(lambda _: request(base, "GET", "/v1/me/conversations?limit=50", None, auth), range(messages)))
    summary(f"inbox page of 50 ({workers} at once)", [r[2] for r in results], [r[0] for r in results])


def run(base, slug, agent_token, lookups, workers):
    page = request(base, "GET", f"/v1/book/{slug}")[1]
    day = page["now"][:10]
    month_end = (time.strftime("%Y-%m-%d", time.gmtime(time.mktime(time.strptime(day, "%Y-%m-%d")) + 27 * 86400)))
    week_path = f"/v1/book/{slug}/slots?from={day}&to={day}&time_zone=America/New_York"
    month_path = f"/v1/book/{slug}/slots?from={day}&to={month_end}&duration=15"

    for name, path in [("slot lookup, 1 day", week_path), ("slot lookup, 4 weeks", month_path)]:
        results = [request(base, "GET", path) for _ in range(lookups)]
        summary(f"{name} (sequential)", [r[2] for r in results], [r[0] for r in results])
        with concurrent.futures.ThreadPoolExecutor(workers) as pool:
            results = list(pool.map(lambda _: request(base, "GET", path), range(lookups)))
        summary(f"{name} ({workers} at once)", [r[2] for r in results], [r[0] for r in results])

    # Bookings: every free 15-minute slot of the next four weeks, one guest each.
    slots = request(base, "GET", month_path)[1]["slots"]
    def book(slot):
        body = {"subject": "Load", "start": slot["start"], "duration": 15, "name": "Load",
                "email": f"load-{uuid.uuid4().hex[:12]}@example.com"}
        return request(base, "POST", f"/v1/book/{slug}/meetings", body, {"idempotency-key": str(uuid.uuid4())})
    half = len(slots) // 2
    results = [book(s) for s in slots[:half]]
    summary("booking (sequential)", [r[2] for r in results], [r[0] for r in results])
    booked = [r[1] for r in results if r[0] == 201]
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(book, slots[half:]))
    summary(f"booking ({workers} at once)", [r[2] for r in results], [r[0] for r in results])
    # The same slot for everyone: one 201, the rest 409.
    taken = slots[0]
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(lambda _: book(taken), range(workers * 4)))
    summary(f"booking a taken slot ({workers} at once)", [r[2] for r in results], [r[0] for r in results])
    talk(base, agent_token, booked, lookups, workers)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:3000")
    parser.add_argument("--operator-key", required=True, help="the operator key the local server printed")
    parser.add_argument("--lookups", type=int, default=200)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    slug, agent_token = setup(args.url, args.operator_key)
    run(args.url, slug, agent_token, args.lookups, args.workers)
