"""« Mes connexions et mes données »: the sign-in history (recorded once per sign-in, on the
first page of the space, from what the gateway saw) and « télécharger mes données » (a ZIP of
JSON and documents prepared by the export queue's worker, a short link, an email)."""

from __future__ import annotations

import io
import json
import time
import uuid
import zipfile
from datetime import UTC, datetime

import boto3
import pytest
import requests
from botocore.exceptions import ClientError

from shared import clock
from tests.helpers import aws_calls, idempotency, run_queues

FATIMA = "fatima.l@example.fr"
PAUL = "paul.m@example.fr"
PHONE = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/126.0.0.0 Mobile Safari/537.36")
DESKTOP = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 "
           "Firefox/128.0")


def session_claims(api, user: str, auth_time: int | None = None) -> dict:
    """A token of a new sign-in: its own session (origin_jti) and sign-in time."""
    return {**api.claims_for(user), "origin_jti": str(uuid.uuid4()),
            "jti": str(uuid.uuid4()), "auth_time": str(auth_time or clock.epoch()),
            "iat": str(clock.epoch())}


def open_page(api, claims, user_agent=PHONE, **headers):
    return api.get("/members/me", claims=claims,
                   headers={"user-agent": user_agent, **headers})


def logins(api, claims, query="limit=50"):
    answer = api.get("/members/me/logins", claims=claims, query=query)
    assert answer.status == 200, answer.body
    return answer.body


def table(api):
    return boto3.resource("dynamodb", region_name="eu-west-3").Table(
        api.resources.names["Table"])


def stored(api, user: str, prefix: str) -> list[dict]:
    member = api.demo["members"][user]["member_id"]
    kwargs = {"KeyConditionExpression": "pk = :pk AND begins_with(sk, :p)",
              "ExpressionAttributeValues": {":pk": f"MEMBER#{member}", ":p": prefix}}
    if not prefix:
        kwargs = {"KeyConditionExpression": "pk = :pk",
                  "ExpressionAttributeValues": {":pk": f"MEMBER#{member}"}}
    items = []
    while True:
        page = table(api).query(**kwargs)
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


# ------------------------------------------------------------------------- sign-in history
def test_a_sign_in_is_recorded_once_however_many_pages_follow(api):
    claims = session_claims(api, FATIMA)
    before = len(logins(api, claims)["items"])
    first = open_page(api, claims, **{"cloudfront-viewer-country": "BE",
                                      "cloudfront-viewer-address": "198.51.100.23:50412"})
    assert first.status == 200, first.body
    with aws_calls() as calls:
        for _ in range(3):
            assert open_page(api, claims).status == 200
    writes = [op for service, op, _ in calls if service == "dynamodb"
              and op in ("PutItem", "TransactWriteItems", "UpdateItem")]
    assert not writes, "a page of an already recorded sign-in writes nothing"
    items = logins(api, claims)["items"]
    assert len(items) == before + 1
    # This sign-in (another test's of the same second may sort either side of it).
    current = [item for item in items if item["current"]]
    assert len(current) == 1
    newest = current[0]
    assert newest["device"] == "Chrome sur Android"
    assert newest["device_kind"] == "phone"
    assert newest["country"] == "BE"
    assert newest["ip"] == "198.51.100.xxx"  # only the network is kept
    assert "198.51.100.23" not in json.dumps(stored(api, FATIMA, "LOGIN#"), default=str)


def test_each_sign_in_is_its_own_line_newest_first_and_only_this_one_is_current(api):
    earlier = session_claims(api, FATIMA, auth_time=clock.epoch() - 3600)
    later = session_claims(api, FATIMA)
    open_page(api, earlier, user_agent=DESKTOP)
    open_page(api, later)
    # The earlier session goes on (a refreshed token of it): still the same sign-in.
    refreshed = {**earlier, "jti": str(uuid.uuid4()), "iat": str(clock.epoch())}
    open_page(api, refreshed, user_agent=DESKTOP)
    items = logins(api, later)["items"]
    assert [i["at"] for i in items] == sorted((i["at"] for i in items), reverse=True)
    current = [i for i in items if i["current"]]
    assert len(current) == 1 and current[0]["device"] == "Chrome sur Android"
    # The newest (another test's sign-in may share its second).
    assert current[0]["at"] == items[0]["at"]
    # (The seed's own Firefox sign-ins are days old.)
    since = datetime.fromtimestamp(clock.epoch() - 2 * 3600, UTC)
    hour_ago = [i for i in items if i["device"] == "Firefox sur Windows"
                and datetime.fromisoformat(i["at"]) >= since]
    assert len(hour_ago) == 1, "the refreshed token is the same sign-in"
    seen_from_earlier = logins(api, refreshed)["items"]
    assert [i["id"] for i in seen_from_earlier if i["current"]] == [hour_ago[0]["id"]]
    assert hour_ago[0]["country"] is None  # no CloudFront header: « Lieu inconnu »


def test_a_sign_in_is_dated_by_the_token_not_by_the_first_page(api):
    signed_in_at = clock.epoch() - 600
    claims = session_claims(api, FATIMA, auth_time=signed_in_at)
    open_page(api, claims)
    current = next(i for i in logins(api, claims)["items"] if i["current"])
    from datetime import datetime

    assert abs(datetime.fromisoformat(current["at"]).timestamp() - signed_in_at) < 1


def test_storage_failing_never_fails_the_page_and_the_next_page_records_it(api):
    claims = session_claims(api, FATIMA)

    def fail(service, operation, params):
        if operation == "TransactWriteItems":
            return ClientError({"Error": {"Code": "ProvisionedThroughputExceededException",
                                          "Message": "injected"}}, operation)
        return None

    with aws_calls(fail=fail):
        assert open_page(api, claims).status == 200
    assert not any(i["current"] for i in logins(api, claims)["items"])
    assert open_page(api, claims).status == 200
    assert sum(i["current"] for i in logins(api, claims)["items"]) == 1


def test_her_sign_ins_are_hers_alone_and_kept_twelve_months(api):
    fatima = session_claims(api, FATIMA)
    open_page(api, fatima)
    paul = session_claims(api, PAUL)
    open_page(api, paul, user_agent=DESKTOP)
    pauls = logins(api, paul)["items"]
    fatimas = {i["id"] for i in logins(api, fatima)["items"]}
    assert pauls and not fatimas & {i["id"] for i in pauls}
    recent = [item for item in stored(api, FATIMA, "LOGIN#")
              if datetime.fromisoformat(item["at"]) >= datetime.fromtimestamp(
                  clock.epoch() - 3600, UTC)]  # the seed's sign-ins are older
    assert recent
    for item in recent:
        kept = int(item["ttl"]) - clock.epoch()
        assert 364 * 86400 < kept <= 366 * 86400


def test_the_list_pages_with_cursors_that_stay_hers(api):
    claims = session_claims(api, FATIMA)
    open_page(api, claims)
    first = logins(api, claims, "limit=1")
    assert len(first["items"]) == 1 and first["next"]
    second = logins(api, claims, f"limit=1&cursor={first['next']}")
    assert second["items"][0]["id"] != first["items"][0]["id"]
    paul = session_claims(api, PAUL)
    refused = api.get("/members/me/logins", claims=paul, query=f"cursor={first['next']}")
    assert refused.status == 400
    assert refused.body["code"] == "invalid_cursor"


def test_an_advisor_has_no_sign_in_history_here(api):
    answer = api.get("/members/me/logins", user="conseiller@example.fr")
    assert answer.status == 403


# ---------------------------------------------------------------------------- data export
def post_export(api, user=FATIMA, key=None):
    return api.post("/members/me/exports", {}, user=user,
                    headers=idempotency(key))


def latest(api, user=FATIMA) -> dict:
    answer = api.get("/members/me/exports", user=user)
    assert answer.status == 200, answer.body
    return answer.body["items"][0]


def settle(api, user=FATIMA) -> None:
    """No export of hers left in preparation (the worker has run)."""
    run_queues(api)
    items = api.get("/members/me/exports", user=user).body["items"]
    assert all(i["status"] != "preparing" for i in items), items


def download(api, export_id, user=FATIMA) -> zipfile.ZipFile:
    link = api.get(f"/members/me/exports/{export_id}/link", user=user)
    assert link.status == 200, link.body
    assert link.body["filename"].startswith("mes-donnees-")
    answer = requests.get(link.body["url"], timeout=10)
    assert answer.status_code == 200
    return zipfile.ZipFile(io.BytesIO(answer.content))


@pytest.fixture(scope="module")
def ready_export(api):
    open_page(api, session_claims(api, FATIMA))  # she signed in: her history has a line
    settle(api)
    created = post_export(api)
    assert created.status == 201, created.body
    assert created.body["status"] == "preparing"
    assert created.body["status_label"] == "En préparation"
    assert run_queues(api) == 1
    export = latest(api)
    assert export["id"] == created.body["id"]
    return export


def test_an_export_becomes_ready_with_an_email_that_holds_no_data(api, ready_export):
    assert ready_export["status"] == "ready"
    assert ready_export["status_label"] == "Prête"
    assert ready_export["size"] > 1000
    assert ready_export["documents"] >= 1
    from moto.ses import ses_backends

    from tests.helpers import deliver_outbox

    deliver_outbox()  # the email leaves through the outbox

    mails = [m for regions in ses_backends.values() for backend in regions.values()
             for m in getattr(backend, "sent_messages", [])
             if "Vos données sont prêtes" in (getattr(m, "subject", "") or "")]
    mine = [m for m in mails if FATIMA in m.destinations["ToAddresses"]]  # Paul's may follow
    assert mine
    body = mine[-1].body
    assert "/espace/infos/donnees/" in body
    assert "2024001871" not in body and "Lambert" not in body


def test_the_zip_holds_her_reimbursements_documents_and_nothing_of_another(api, ready_export):
    archive = download(api, ready_export["id"])
    names = set(archive.namelist())
    assert {"LISEZMOI.txt", "profil.json", "contrats.json", "beneficiaires.json",
            "remboursements.json", "demandes.json", "cotisations.json", "connexions.json",
            "documents.json"} <= names
    claims = json.loads(archive.read("remboursements.json"))
    assert len(claims) == api.demo["members"][FATIMA]["claims"]
    assert all("lines" in c or "totals" in c for c in claims)
    assert json.loads(archive.read("profil.json"))["member_id"] == "2024001871"
    documents = [n for n in names if n.startswith("documents/")]
    assert documents
    for name in documents:
        assert archive.read(name)[:5] == b"%PDF-"
    index = json.loads(archive.read("documents.json"))
    assert {d["fichier"] for d in index if "fichier" in d} == set(documents)
    everything = b"".join(archive.read(n) for n in names)
    for name in names:
        for word in (b"2023004412", b"paul.m@example.fr"):  # Paul Martin
            at = archive.read(name).find(word)
            assert at < 0, (name, archive.read(name)[max(0, at - 300):at + 100])
    assert b"IDEM#" not in everything and b"EXPORTLOCK" not in everything
    readme = archive.read("LISEZMOI.txt").decode()
    assert "Fatima Lambert" in readme and "remboursements.json" in readme
    assert "fhir.json" in readme and "HL7 FHIR" in readme


def test_the_zip_carries_her_data_as_a_valid_fhir_bundle_another_insurer_can_read(
        api, ready_export):
    from fhir.resources.R4B.bundle import Bundle

    archive = download(api, ready_export["id"])
    raw = archive.read("fhir.json")
    bundle = Bundle.model_validate_json(raw)
    assert bundle.type == "collection"
    resources = [e.resource for e in bundle.entry]
    kinds = [r.get_resource_type() for r in resources]
    claims = json.loads(archive.read("remboursements.json"))
    assert kinds.count("ExplanationOfBenefit") == len(claims)
    assert kinds.count("Patient") == 3 and kinds.count("Coverage") == 3
    owed = json.loads(archive.read("trop-percus.json"))
    assert [o["id"] for o in owed] == [f"TP-{clock.today().year}-0001"]  # the demo's
    assert kinds.count("Invoice") == len(json.loads(archive.read("cotisations.json"))) + 1
    trop_percu = next(r for r in resources if r.id == owed[0]["id"])
    assert trop_percu.type.coding[0].code == "overpayment"
    assert trop_percu.totalGross.value * 100 == owed[0]["amount_cents"]
    subscriber = next(r for r in resources if r.id == "2024001871-B01")
    assert subscriber.telecom[0].value == FATIMA
    # The same figures as her décompte, in euros.
    claim = claims[0]
    eob = next(r for r in resources if r.id == claim["id"])
    paid = next(a for a in eob.item[0].adjudication if a.category.coding[0].code == "benefit")
    assert paid.amount.value * 100 == claim["mutual_cents"]
    assert b"2023004412" not in raw


def test_one_preparation_at_a_time_and_a_double_submit_makes_one(api, ready_export):
    settle(api)
    before = len(stored(api, FATIMA, "EXPORT#"))
    key = str(uuid.uuid4())
    first = post_export(api, key=key)
    assert first.status == 201
    replay = post_export(api, key=key)
    assert replay.status == 201 and replay.body["id"] == first.body["id"]
    other = post_export(api)
    assert other.status == 409
    assert other.body["code"] == "export_in_progress"
    assert "courriel" in other.body["message"]
    # Paul is not held up by Fatima's export.
    assert post_export(api, user=PAUL).status == 201
    settle(api)
    settle(api, PAUL)
    assert len(stored(api, FATIMA, "EXPORT#")) == before + 1
    # A taken lock is seen before anything is queued: nothing waits for the worker.
    assert run_queues(api) == 0


def test_another_member_cannot_reach_her_file(api, ready_export):
    answer = api.get(f"/members/me/exports/{ready_export['id']}/link", user=PAUL)
    assert answer.status == 404
    assert "introuvable" in answer.body["message"]
    assert ready_export["id"] not in json.dumps(
        api.get("/members/me/exports", user=PAUL).body)


def test_a_worker_failure_is_retried_then_marked_failed_and_can_be_asked_again(api):
    settle(api)
    created = post_export(api)
    assert created.status == 201

    def fail(service, operation, params):
        if service == "s3" and operation == "GetObject":
            return ClientError({"Error": {"Code": "SlowDown", "Message": "injected"}},
                               operation)
        return None

    with aws_calls(fail=fail):
        assert run_queues(api, attempt=1) == 1
    assert latest(api)["status"] == "preparing"  # the queue tries again
    sqs = boto3.client("sqs", region_name="eu-west-3")
    url = api.resources.names["ExportsQueue"]
    # The message is back after the visibility timeout: make it visible now.
    waiting = sqs.receive_message(QueueUrl=url, VisibilityTimeout=0,
                                  AttributeNames=["All"]).get("Messages", [])
    assert not waiting, "the failed message is invisible until its timeout"
    sqs.purge_queue(QueueUrl=url)
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps(
        {"member_id": "2024001871", "export_id": created.body["id"]}))
    with aws_calls(fail=fail):
        assert run_queues(api, attempt=3) == 1
    failed = latest(api)
    assert failed["status"] == "failed" and failed["status_label"] == "Échec"
    refused = api.get(f"/members/me/exports/{failed['id']}/link")
    assert refused.status == 409
    assert refused.body["code"] == "export_not_ready"
    member = api.demo["members"][FATIMA]["member_id"]
    s3 = boto3.client("s3", region_name="eu-west-3")
    listed = s3.list_objects_v2(Bucket=api.resources.names["DocumentsBucket"],
                                Prefix=f"members/{member}/exports/{failed['id']}")
    assert not listed.get("Contents"), "no half archive is left behind"
    again = post_export(api)
    assert again.status == 201
    settle(api)
    assert latest(api)["status"] == "ready"


def test_an_export_past_its_time_is_expired_and_its_link_refused(api):
    settle(api)
    assert post_export(api).status == 201  # one of its own, whatever ran before
    settle(api)
    export = latest(api)
    assert export["status"] == "ready"
    item = next(i for i in stored(api, FATIMA, "EXPORT#") if i["id"] == export["id"])
    table(api).update_item(Key={"pk": item["pk"], "sk": item["sk"]},
                           UpdateExpression="SET available_until = :t",
                           ExpressionAttributeValues={":t": "2020-01-01T00:00:00+01:00"})
    assert latest(api)["status"] == "expired"
    refused = api.get(f"/members/me/exports/{export['id']}/link")
    assert refused.status == 409 and refused.body["code"] == "export_expired"
    assert "nouvel export" in refused.body["message"]


def test_a_queue_refusing_the_work_leaves_nothing(api):
    settle(api)
    before = {(i["pk"], i["sk"]) for i in stored(api, FATIMA, "")}

    def fail(service, operation, params):
        if service == "sqs":
            return ClientError({"Error": {"Code": "RequestThrottled", "Message": "injected"}},
                               operation)
        return None

    with aws_calls(fail=fail):
        answer = post_export(api)
    assert answer.status == 503
    assert answer.headers.get("Retry-After")
    assert {(i["pk"], i["sk"]) for i in stored(api, FATIMA, "")} == before
    assert post_export(api).status == 201  # the lock was given back
    settle(api)


def test_bad_input_is_refused_in_french(api):
    no_key = api.post("/members/me/exports", {})
    assert no_key.status == 400
    extra = api.post("/members/me/exports", {"format": "xml"},
                     headers=idempotency())
    assert extra.status == 400 and "format" in extra.body["fields"]
    unknown = api.get("/members/me/exports/X20260101T000000-00000000/link")
    assert unknown.status == 404
    forged = api.get("/members/me/exports/nimportequoi/link")
    assert forged.status == 404


# ------------------------------------------------------------------------ the local stack
def test_the_local_stack_runs_the_export_queue_like_lambda(local_stack):
    """On `make run`'s stack: the poller hands the queue to the worker's pool, the ZIP is
    downloaded through the presigned link, the email is listed in « Courriels envoyés »."""
    base = local_stack.base_url
    token = local_stack.member_sign_in(FATIMA)["AccessToken"]
    headers = {"Authorization": f"Bearer {token}", "User-Agent": DESKTOP,
               "CloudFront-Viewer-Country": "US"}
    assert requests.get(base + "/api/members/me", headers=headers, timeout=10).ok
    current = next(i for i in requests.get(base + "/api/members/me/logins", headers=headers,
                                           timeout=10).json()["items"] if i["current"])
    assert current["device"] == "Firefox sur Windows"
    assert current["ip"] == "127.0.0.xxx"
    assert current["country"] is None  # a viewer cannot send CloudFront's own headers

    deadline = time.monotonic() + 60
    export = None
    while time.monotonic() < deadline:
        items = requests.get(base + "/api/members/me/exports", headers=headers,
                             timeout=10).json()["items"]
        if export is None and not any(i["status"] == "preparing" for i in items):
            made = requests.post(base + "/api/members/me/exports", json={}, timeout=10,
                                 headers={**headers, **idempotency()})
            assert made.status_code == 201, made.text
            export = made.json()["id"]
        mine = next((i for i in items if i["id"] == export), None)
        if mine and mine["status"] == "ready":
            break
        time.sleep(0.3)
    else:
        raise AssertionError("the export was never prepared on the local stack")
    link = requests.get(f"{base}/api/members/me/exports/{export}/link", headers=headers,
                        timeout=10).json()
    assert link["url"].startswith(base + "/s3/")
    archive = zipfile.ZipFile(io.BytesIO(requests.get(link["url"], timeout=10).content))
    assert json.loads(archive.read("remboursements.json"))
    def told(mails):
        return any(m["subject"] == "Vos données sont prêtes à être téléchargées"
                   and FATIMA in m["to"] for m in mails)

    deadline = time.monotonic() + 20  # the email leaves through the outbox, a moment later
    while not told(requests.get(base + "/local/courriels.json", timeout=10).json()["items"]):
        assert time.monotonic() < deadline, "the export's email never left"
        time.sleep(0.3)
