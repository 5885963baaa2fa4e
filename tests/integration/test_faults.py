"""Faults on every write path: each AWS call a creating or changing request makes fails in
turn (DynamoDB throttled or timed out, S3 slowing down, Cognito refusing): the answer is a 503
with Retry-After and nothing is half-written; the retry (same request, same key) then succeeds,
and creates exactly one thing."""

import json

import pytest
from botocore.exceptions import ClientError, ReadTimeoutError

from infra.local import template
from tests.helpers import aws_calls
from tests.integration.account_helpers import caller_of, new_member
from tests.routes import ADVISOR, OTHER, OWNER, SAMPLES, InProcess, World

WRITES = [r for r in template.routes() if r.method in ("POST", "PUT", "DELETE", "PATCH")]
# Calls whose failure must not fail the request: removing an object no longer in use (the
# bucket's lifecycle does it later), recording the answer for replays (the creation's own
# marker answers the retry), closing the session a password check opened (it expires).
AFTER_THE_WORK = {"DeleteObject", "UpdateItem", "RevokeToken"}
THROTTLED = {"dynamodb": ("ProvisionedThroughputExceededException", 400),
             "s3": ("SlowDown", 503), "cognito": ("TooManyRequestsException", 400),
             "sqs": ("RequestThrottled", 403)}


def snapshot(api):
    """Every item of the data table but the attempt counters (an attempt counts even when a
    dependency then fails), and every stored object. Read from moto's own store: its queries
    cost a quarter of a second each, and a route needs a snapshot per failed call."""
    import boto3
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    table = dynamodb_backends[DEFAULT_ACCOUNT_ID]["eu-west-3"].get_table(
        api.resources.names["Table"])
    items = {}
    for hash_key, stored in table.items.items():
        if hash_key.value.startswith("LIMIT#"):
            continue
        for range_key, item in stored.items():
            items[(hash_key.value, range_key.value)] = item.to_json()["Attributes"]
    s3 = boto3.client("s3", region_name="eu-west-3")
    bucket = api.resources.names["DocumentsBucket"]
    objects = {o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])}
    return items, objects


def failure(service, operation, index):
    if index % 2:
        return ReadTimeoutError(endpoint_url=f"https://{service}.eu-west-3.amazonaws.com")
    code, status = THROTTLED[service]
    return ClientError({"Error": {"Code": code, "Message": "injected"},
                        "ResponseMetadata": {"HTTPStatusCode": status}}, operation)


def run_with_faults(api, client, method, path, body, headers, expected):
    """Fail the 1st, 2nd, ... AWS call of the request in turn, then let it through."""
    attempt = 0
    # A failed attempt must leave the state as it found it, so it is the next one's "before".
    before = snapshot(api)
    while True:
        seen = []

        def fail(service, operation, params, attempt=attempt, seen=seen):
            seen.append(operation)
            return failure(service, operation, attempt) if len(seen) == attempt + 1 else None

        with aws_calls(fail=fail):
            status, answer = client.call(method, path, body=body, headers=headers)
        if len(seen) <= attempt:  # no call was failed: this was the successful retry
            assert status == expected, answer
            return before, snapshot(api)
        if status == expected and seen[attempt] in AFTER_THE_WORK:
            return before, snapshot(api)  # the work was done: saying so is right
        assert status == 503, (seen[attempt], status, answer)
        assert answer["code"] == "service_unavailable"
        now = snapshot(api)
        changed = {k for k in now[0].keys() | before[0].keys() if now[0].get(k) != before[0].get(k)}
        assert now == before, f"half-written after failing {seen[attempt]}: {sorted(changed)}"
        attempt += 1


@pytest.mark.parametrize("route", WRITES, ids=[r.route_key for r in WRITES])
def test_a_failing_dependency_leaves_nothing_half_written(api, route):
    sample = SAMPLES[(route.method, route.path)]
    user = OTHER if route.path == "/members/logout" else (
        ADVISOR if sample.audience == "advisor" else OWNER)
    client = InProcess(api, user)
    world = World(InProcess(api))
    path, body, headers = sample.path(world), sample.body(world), sample.headers()
    before, after = run_with_faults(api, client, route.method, path, body, headers,
                                    sample.status)
    created = set(after[0]) - set(before[0])
    removed = set(before[0]) - set(after[0])
    # The outbox (events for the management system, emails) was written with the change, once:
    # the failed attempts left none, the retry no second copy of any.
    written = [json.dumps({k: v for k, v in after[0][key]["event"]["M"].items()
                           if k not in ("id", "occurred_at")}, sort_keys=True)
               for key in created if key[1].startswith("OUTBOX#")]
    assert len(written) == len(set(written)), "an event or an email written twice"
    if route.method == "DELETE":
        assert len(removed) == 1 and not created
    elif route.path in ("/claims/estimates", "/support/requests/reimbursement",
                        "/support/requests/other"):
        kinds = sorted(sk.split("#")[0] for _, sk in created)
        assert kinds.count("EST" if "estimates" in route.path else "REQ") == 1, kinds
    # A replay of the same request writes nothing more. (When recording the answer failed,
    # Powertools holds the key « in progress » for the invocation's time: 409, then the
    # creation's marker answers the first result.)
    if headers.get("Idempotency-Key"):
        status, _ = client.call(route.method, path, body=body, headers=headers)
        assert status in (sample.status, 409)
        assert snapshot(api)[0].keys() == after[0].keys()


class SignedIn:
    """A member of her own, signed in for real: ending all her sessions disturbs no other
    test of this module, in whatever order they run."""

    def __init__(self, api) -> None:
        self.api, self.caller = api, caller_of(api, new_member(api))

    def call(self, method, path, *, user=None, body=None, headers=None):
        r = self.api.call(method, path, body=body, claims=self.caller["claims"],
                          headers={**self.caller["headers"], **(headers or {})})
        return r.status, r.body


def test_logging_out_everywhere_survives_a_failing_cognito(api):
    client = SignedIn(api)
    run_with_faults(api, client, "POST", "/members/logout", {"everywhere": True}, {}, 204)
