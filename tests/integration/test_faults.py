"""Faults on every write path: each AWS call a creating or changing request makes fails in
turn (DynamoDB throttled or timed out, S3 slowing down, Cognito refusing): the answer is a 503
with Retry-After and nothing is half-written; the retry (same request, same key) then succeeds,
and creates exactly one thing."""

import json

import pytest
from botocore.exceptions import ClientError, ReadTimeoutError

from infra.local import template
from tests.helpers import GESTION, aws_calls
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


@pytest.fixture(autouse=True)
def _password_checks_of_its_own(api):
    """Each test owns Fatima's password-check counter: a failed call after a check leaves the
    check counted (as it must), and five in an hour lock her out of every form asking the
    password again, whichever test of this module world counted them (they run in any order,
    on either worker)."""
    _forget_password_checks(api)
    yield


def _forget_password_checks(api):
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    table = dynamodb_backends[DEFAULT_ACCOUNT_ID]["eu-west-3"].get_table(
        api.resources.names["Table"])
    for hash_key in [k for k in table.items if k.value.startswith("LIMIT#password#")]:
        del table.items[hash_key]


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
        {"advisor": ADVISOR, "system": GESTION}.get(sample.audience, OWNER))
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
    if route.method == "DELETE" and sample.status >= 400:
        # Refused (Apple's unregistering without its pass's token): nothing removed, nothing
        # made; the registration's own faults are in test_wallet.py.
        assert not removed and not created
    elif route.method == "DELETE":
        assert len(removed) == 1 and not created
    elif route.path in ("/claims/estimates", "/support/requests/reimbursement",
                        "/support/requests/other"):
        kinds = sorted(sk.split("#")[0] for _, sk in created)
        assert kinds.count("EST" if "estimates" in route.path else "REQ") == 1, kinds
    elif route.path == "/claims/{claim_id}/dispute":
        # One request, its marker, its event for the management system and its acknowledgement.
        kinds = sorted(sk.split("#")[0] for _, sk in created)
        assert [kinds.count(k) for k in ("REQ", "DISPUTE", "OUTBOX")] == [1, 1, 2], kinds
    elif route.path.startswith("/claims/overpayments/"):
        # One request, its event for the management system and its acknowledgement; the
        # overpayment itself changed (contested, instalments asked) in the same transaction.
        kinds = sorted(sk.split("#")[0] for _, sk in created)
        assert [kinds.count(k) for k in ("REQ", "OUTBOX")] == [1, 2], kinds
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


def test_the_inbox_ingest_loses_nothing_and_repeats_nothing_when_a_call_fails(api):
    """Each AWS call of an inbox file's ingest fails in turn (the SQS message then comes back
    and the file is read again): in the end every line is applied once, the paid request is
    closed once, with one email and one payment notice."""
    import boto3

    from domain import requests as req
    from shared import repository as table
    from shared.errors import ServiceUnavailable
    from shared.ids import new_id
    from system.logic.ingest import ingest_object
    from tests import fhir_samples as fs

    member, fatima = "2025009101", "2024001871"
    request_id, created = new_id("R")
    request = req.RequestItem(
        id=request_id, reference=f"DR-2026-{request_id[-8:].upper()}", kind="reimbursement",
        member_id=fatima, created_at=created, updated_at=created, status="payment_requested",
        team="gestion", subject="Consultation", beneficiary_id="B03",
        beneficiary_name="Inès Lambert")
    table.put_item(req.to_item(request))
    data = fs.ndjson(fs.eob(member, eob_id="FAULT-0"), fs.patient(member, email="f@example.fr"),
                     fs.coverage(member), fs.invoice(member),
                     fs.eob(fatima, "B03", eob_id="FAULT-1", request_id=request_id))
    bucket = api.resources.names["InboxBucket"]
    boto3.client("s3", region_name="eu-west-3").put_object(
        Bucket=bucket, Key="inbox/faults.ndjson", Body=data)
    attempt = 0
    while True:
        seen = []

        def fail(service, operation, params, attempt=attempt, seen=seen):
            seen.append(operation)
            return failure(service, operation, attempt) if len(seen) == attempt + 1 else None

        try:
            with aws_calls(fail=fail):
                report = ingest_object(bucket, "inbox/faults.ndjson")
        except ServiceUnavailable:
            attempt += 1
            continue
        if len(seen) <= attempt:
            break
        attempt += 1
    assert attempt > 5
    assert not report.rejected
    mine = {i["sk"]: i for i in table.query_all(partition=("pk", f"MEMBER#{member}"))}
    assert not [k for k in mine if k.startswith("PENDING#")]
    assert "FILE#CONTRACT#CT1" in mine and "CONTRIB#2026-11" in mine
    assert len([k for k in mine if k.startswith("CLAIM#")]) == 1
    assert len([k for k in mine if k.startswith("NOTICE#")]) == 1
    hers = table.query_all(partition=("pk", f"MEMBER#{fatima}"))
    emails = [i for i in hers if i["sk"].startswith("OUTBOX#")
              and i["event"]["detail"].get("reference") == request.reference]
    assert len(emails) == 1
    assert req.get(fatima, request_id).status == "processed"
    paid = [i for i in hers if i["sk"].startswith("CLAIM#")
            and i.get("request_id") == request_id]
    assert len(paid) == 1
    assert len([i for i in hers if i["sk"] == f"NOTICE#{paid[0]['id']}"]) == 1
