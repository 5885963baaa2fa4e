"""Load: 50 simulated members use every section (claims, members, contract, documents,
requests and contact, services) and estimate and send reimbursement requests for 60 s
against the local stack (loopback only; stops by itself). Prints p50/p95 latency per kind of
request, then checks in the table that no write was lost or duplicated: every 201 is exactly
one stored item, and each double submit (the same Idempotency-Key sent twice at once) made one.

    .venv/bin/python bench/load.py [--users 50] [--seconds 60]
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import uuid  # noqa: E402
from collections import Counter  # noqa: E402
from datetime import date, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
from locust import FastHttpUser, between, task  # noqa: E402
from locust.env import Environment  # noqa: E402
from urllib3 import encode_multipart_formdata  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]

from tests.helpers import sample_pdf  # noqa: E402
from tests.stack import start_stack  # noqa: E402

MEMBERS = [("fatima.l@example.fr", ["B01", "B02", "B03"]), ("paul.m@example.fr", ["B01"])]
PASSWORD = "Demo-Adherent-2026!"
PDF = sample_pdf()
created: dict[str, list[str]] = {"estimate": [], "request": []}
statuses: Counter = Counter()
refusals: Counter = Counter()  # (request, status, code) of the unexpected answers
STACK = None


def _count(request_type, name, response=None, exception=None, **_):
    status = getattr(response, "status_code", None) or "no answer"
    statuses[status] += 1
    if exception is not None and status != "no answer":
        try:
            code = response.json().get("code", "")
        except ValueError:
            code = ""
        refusals[(name, status, code)] += 1


class Member(FastHttpUser):
    """A member's browser (geventhttpclient: locust's requests-based client cost as much CPU
    a request as the stack it measured, on the same two cores)."""

    wait_time = between(0.5, 2)

    def on_start(self) -> None:
        self.email, self.beneficiaries = random.choice(MEMBERS)
        self.headers = {}
        while not self.headers:
            answer = self.client.post("/cognito", name="cognito login", data=json.dumps({
                "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": STACK.resources.client_id,
                "AuthParameters": {"USERNAME": self.email, "PASSWORD": PASSWORD}}), headers={
                "Content-Type": "application/x-amz-json-1.1",
                "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth"})
            if answer.status_code == 200:
                token = answer.json()["AuthenticationResult"]["AccessToken"]
                self.headers = {"Authorization": f"Bearer {token}"}
            else:
                gevent.sleep(1)

    def api(self, method, path, name, body=None, key=None, expected=(200, 201, 204)):
        headers = dict(self.headers)
        if key:
            headers["Idempotency-Key"] = key
        with self.client.request(method, "/api" + path, name=name, json=body,
                                 headers=headers, catch_response=True) as response:
            if response.status_code in expected:
                response.success()
            else:
                response.failure(f"HTTP {response.status_code}")
            return response

    def care(self) -> dict:
        day = date.today() - timedelta(days=random.randint(1, 60))
        return {"beneficiary_id": random.choice(self.beneficiaries), "act_code": "G",
                "care_date": day.isoformat()}

    def get(self, path: str, name: str | None = None):
        return self.api("GET", path, name or "GET " + path.split("?")[0])

    @task(4)
    def claims(self) -> None:
        page = self.get("/claims?limit=20").json()
        if page["items"]:
            claim = random.choice(page["items"])["id"]
            self.get(f"/claims/{claim}", "GET /claims/{id}")
        self.get("/claims/counters")

    @task(2)
    def member(self) -> None:
        self.get("/members/me")
        self.get("/members/profile")

    @task(2)
    def contract(self) -> None:
        self.get("/contract")
        self.get("/contract/guarantees")
        self.get("/contract/contributions")

    @task(1)
    def card(self) -> None:
        self.get("/contract/card")

    @task(2)
    def documents(self) -> None:
        self.get("/documents")
        self.get("/documents/attestations")

    @task(2)
    def support(self) -> None:
        self.get("/support/requests")
        self.get("/support/threads")
        self.get("/support/wait")

    @task(2)
    def services(self) -> None:
        self.get("/services/towns?q=lyo")
        self.get(f"/services/places?postcode=6900{random.randint(1, 9)}&kind="
                 f"{random.choice(['optician', 'agency', 'dentist'])}", "GET /services/places")

    @task(2)
    def estimate(self) -> None:
        self.get("/claims/acts?q=radio")
        # Paul has the C2S: no extra fees, so he is charged the convention tariff (30 €).
        prices = [3000] if self.email.startswith("paul") else [3000, 4500, 6000]
        body = {**self.care(), "price_cents": random.choice(prices),
                "practitioner": {"sector": 2, "optam": random.random() < 0.5}}
        key = str(uuid.uuid4())
        if random.random() < 0.3:  # a double click: the same key sent twice at once
            # The second may be told « déjà en cours » (409): that is the right answer.
            answers = [gevent.spawn(self.api, "POST", "/claims/estimates",
                                    "POST /claims/estimates", body, key, (201, 409))
                       for _ in range(2)]
            gevent.joinall(answers)
            ids = {a.value.json()["id"] for a in answers if a.value.status_code == 201}
            created["estimate"] += sorted(ids)
        else:
            r = self.api("POST", "/claims/estimates", "POST /claims/estimates", body, key)
            if r.status_code == 201:
                created["estimate"].append(r.json()["id"])
        self.get("/claims/estimates?limit=20")

    @task(1)
    def request(self) -> None:
        """A reimbursement request as the site sends it: the invoice's upload (ticket, form
        POST to storage, confirmation), then the request."""
        ticket = self.api("POST", "/support/uploads", "POST /support/uploads", {
            "filename": "facture.pdf", "content_type": "application/pdf", "size": len(PDF)})
        if ticket.status_code != 201:
            return
        t = ticket.json()
        form, content_type = encode_multipart_formdata(
            [*t["fields"].items(), ("file", ("facture.pdf", PDF, "application/pdf"))])
        self.client.post(t["url"], data=form, headers={"Content-Type": content_type},
                         name="S3 upload")
        self.api("POST", f"/support/uploads/{t['id']}/confirm",
                 "POST /support/uploads/{id}/confirm")
        r = self.api("POST", "/support/requests/reimbursement",
                     "POST /support/requests/reimbursement",
                     {**self.care(), "amount_cents": random.randint(1000, 9000),
                      "upload_ids": [t["id"]]}, str(uuid.uuid4()))
        if r.status_code == 201:
            created["request"].append(r.json()["id"])
        self.get("/support/requests")


def cpu_seconds(pid: int, children: bool = True) -> float:
    """CPU time of a process and its children (the stack: gateway, moto, function workers)."""
    import psutil

    total = 0.0
    root = psutil.Process(pid)
    for proc in [root, *(root.children(recursive=True) if children else [])]:
        try:
            times = proc.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def stored(kind_prefix: str) -> list[str]:
    import boto3

    table = boto3.resource("dynamodb", region_name="eu-west-3", endpoint_url=STACK.moto_url,
                           aws_access_key_id="local", aws_secret_access_key="local").Table(
        STACK.resources.names["Table"])
    ids = []
    for info in STACK.demo["members"].values():
        kwargs = {"KeyConditionExpression": "pk = :pk AND begins_with(sk, :p)",
                  "ExpressionAttributeValues": {":pk": f"MEMBER#{info['member_id']}",
                                                ":p": kind_prefix}}
        while True:
            page = table.query(**kwargs)
            ids += [item["id"] for item in page["Items"]]
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    return ids


def main() -> int:
    global STACK
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--min-rps", type=float, default=40.0,
                        help="the throughput to reach (requests a second)")
    parser.add_argument("--max-p95", type=float, default=1000.0,
                        help="the 95th percentile not to exceed (ms), over all requests")
    args = parser.parse_args()
    STACK = start_stack(Path(tempfile.mkdtemp()) / "state.json")
    try:
        before = {"estimate": set(stored("EST#")), "request": set(stored("REQ#"))}
        # Stopping lets each member finish the task under way (an answer cut off by the end
        # of the run would count a stored request as unanswered).
        env = Environment(user_classes=[Member], host=STACK.base_url, stop_timeout=60)
        env.events.request.add_listener(_count)
        cpu_before = cpu_seconds(STACK.proc.pid), cpu_seconds(os.getpid(), children=False)
        runner = env.create_local_runner()
        runner.start(args.users, spawn_rate=10)
        gevent.sleep(args.seconds)
        runner.stop()
        runner.quit()
        cpu = (cpu_seconds(STACK.proc.pid) - cpu_before[0],
               cpu_seconds(os.getpid(), children=False) - cpu_before[1])
        after = {"estimate": set(stored("EST#")), "request": set(stored("REQ#"))}
    finally:
        STACK.stop()
    print(f"load: {args.users} members for {args.seconds} s on loopback")
    print(f"{'request':<32} {'count':>6} {'fail':>5} {'p50':>7} {'p95':>7}")
    for name, entry in sorted(env.stats.entries.items()):
        print(f"{name[0]:<32} {entry.num_requests:>6} {entry.num_failures:>5} "
              f"{entry.get_response_time_percentile(0.5):>5.0f}ms "
              f"{entry.get_response_time_percentile(0.95):>5.0f}ms")
    total = env.stats.total
    print(f"{'all':<32} {total.num_requests:>6} {total.num_failures:>5} "
          f"{total.get_response_time_percentile(0.5):>5.0f}ms "
          f"{total.get_response_time_percentile(0.95):>5.0f}ms  "
          f"({total.total_rps:.1f} requests/s)")
    # On a shared machine the rate depends on what else runs; the CPU each request costs
    # does much less, so it is what compares two versions of the stack.
    print(f"CPU: stack {cpu[0]:.1f} s ({1000 * cpu[0] / max(total.num_requests, 1):.1f} ms a "
          f"request), load generator {cpu[1]:.1f} s; {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f}")
    server_errors = sum(n for status, n in statuses.items()
                        if isinstance(status, int) and status >= 500)
    problems = []
    if statuses["no answer"]:
        problems.append(f"{statuses['no answer']} requests had no answer")
    if total.total_rps < args.min_rps:
        problems.append(f"{total.total_rps:.1f} requests/s, below {args.min_rps:g}")
    if total.get_response_time_percentile(0.95) > args.max_p95:
        problems.append(f"p95 {total.get_response_time_percentile(0.95):.0f} ms, over "
                        f"{args.max_p95:g} ms")
    for (name, status, code), n in sorted(refusals.items(), key=str):
        print(f"unexpected: {n} x {status} {code} on {name}")
    if server_errors:
        problems.append(f"{server_errors} answers were 5xx: {dict(statuses)}")
    for kind in ("estimate", "request"):
        new = after[kind] - before[kind]
        answered = created[kind]
        if len(answered) != len(set(answered)) or set(answered) != new:
            problems.append(f"{kind}s: {len(set(answered))} created by 201 answers, "
                            f"{len(new)} stored")
        print(f"{kind}s: {len(new)} stored, {len(set(answered))} answered 201, "
              f"{len(answered) - len(set(answered))} duplicated")
    print(f"statuses: {dict(sorted(statuses.items(), key=str))}")
    for problem in problems:
        print(f"PROBLEM: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
