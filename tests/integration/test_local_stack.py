"""The local stack enforces what AWS enforces (defects found by a probe on loopback): only the
Cognito actions a browser may call, presigned S3 requests checked as S3 checks them, bodies
over the limit refused unread, wrong methods 405, and invocations that run concurrently."""

import http.client
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import boto3
import pytest
import requests
from botocore.config import Config

from shared import clock
from tests.helpers import idempotency, sample_pdf

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def stack(local_stack):
    return local_stack




def token(stack, email="fatima.l@example.fr", password="Demo-Adherent-2026!"):
    return stack.member_sign_in(email, password)["AccessToken"]


def api(stack, method, path, tok, body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(stack.base_url + "/api" + path, method=method, data=data,
                                 headers={"Authorization": f"Bearer {tok}",
                                          "Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


@pytest.mark.parametrize("action, body", [
    ("ListUsers", {"UserPoolId": "x"}),
    ("AdminSetUserPassword", {"Username": "fatima.l@example.fr", "Password": "Pirate-2026-!!",
                              "Permanent": True}),
    ("AdminAddUserToGroup", {"Username": "paul.m@example.fr", "GroupName": "advisors"}),
    ("AdminGetUser", {"Username": "fatima.l@example.fr"}),
    ("SignUp", {"Username": "intrus@example.fr", "Password": "Intrus-2026-!!"}),
])
def test_cognito_actions_a_browser_may_not_call_are_refused(stack, action, body):
    body = {**body, "UserPoolId": stack.resources.user_pool_id,
            "ClientId": stack.resources.client_id}
    status, answer = stack.cognito(action, body)
    assert status == 403 and answer["__type"] == "ForbiddenException", answer
    # Nothing changed: Fatima still logs in with her password; Paul is still no advisor.
    token(stack)
    idp = stack.client("cognito-idp")
    groups = idp.admin_list_groups_for_user(UserPoolId=stack.resources.user_pool_id,
                                            Username="paul.m@example.fr")["Groups"]
    assert groups == []
    users = idp.list_users(UserPoolId=stack.resources.user_pool_id)["Users"]
    assert "intrus@example.fr" not in str(users)


def test_cognito_refuses_another_client_and_bad_requests(stack):
    status, body = stack.cognito("InitiateAuth", {
        "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": "someone-elses-client",
        "AuthParameters": {"USERNAME": "fatima.l@example.fr",
                           "PASSWORD": "Demo-Adherent-2026!"}})
    assert status == 400
    req = urllib.request.Request(stack.base_url + "/cognito", method="POST", data=b"{not json",
                                 headers={"X-Amz-Target":
                                          "AWSCognitoIdentityProviderService.InitiateAuth"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req)
    assert err.value.code == 400
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(stack.base_url + "/cognito")
    assert err.value.code == 405


def s3_client(stack, endpoint):  # signs as the functions do, with the stack's credentials
    return boto3.client("s3", region_name="eu-west-3", endpoint_url=endpoint,
                        aws_access_key_id="local", aws_secret_access_key="local",
                        config=Config(signature_version="s3v4",
                                      s3={"addressing_style": "path"}))


def test_presigned_links_are_checked_as_s3_checks_them(stack):
    bucket = stack.resources.names["DocumentsBucket"]
    key = "members/2024001871/invoices/test.pdf"
    s3_client(stack, stack.moto_url).put_object(Bucket=bucket, Key=key, Body=PDF)
    public = s3_client(stack, stack.base_url + "/s3")
    url = public.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key},
                                        ExpiresIn=60)
    assert requests.get(url, timeout=10).content == PDF
    # Tampered: another member's key with the same signature.
    assert requests.get(url.replace("2024001871", "2023004412"), timeout=10).status_code == 403
    # Unsigned, listing, or with the signature stripped.
    assert requests.get(f"{stack.base_url}/s3/{bucket}/{key}", timeout=10).status_code in (
        400, 403)
    assert requests.get(f"{stack.base_url}/s3/{bucket}", timeout=10).status_code == 403
    assert requests.get(f"{stack.base_url}/s3/{bucket}?list-type=2",
                        timeout=10).status_code == 403
    # Expired.
    short = public.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key},
                                          ExpiresIn=1)
    time.sleep(2.1)
    assert requests.get(short, timeout=10).status_code == 403
    assert requests.put(url, data=b"x", timeout=10).status_code == 405


def test_upload_forms_are_checked_against_their_policy(stack):
    bucket = stack.resources.names["DocumentsBucket"]
    public = s3_client(stack, stack.base_url + "/s3")
    key = "members/2024001871/invoices/form.pdf"
    post = public.generate_presigned_post(
        Bucket=bucket, Key=key, Fields={"Content-Type": "application/pdf"},
        Conditions=[{"Content-Type": "application/pdf"},
                    ["content-length-range", len(PDF), len(PDF)]], ExpiresIn=60)

    def send(fields, content=PDF):
        return requests.post(post["url"], data=fields, files={"file": ("f.pdf", content)},
                             timeout=10).status_code

    assert send({**post["fields"], "key": "members/2023004412/invoices/form.pdf"}) == 403
    assert send({**post["fields"], "Content-Type": "text/html"}) == 403
    assert send(post["fields"], PDF + b"more") == 400
    assert send({**post["fields"], "x-amz-signature": "0" * 64}) == 403
    assert send(post["fields"]) in (200, 204)
    stored = s3_client(stack, stack.moto_url).get_object(Bucket=bucket, Key=key)["Body"].read()
    assert stored == PDF


def test_a_body_over_the_limit_is_refused_unread(stack):
    conn = http.client.HTTPConnection("127.0.0.1", stack.port, timeout=5)
    conn.putrequest("POST", "/api/claims/estimates")
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Content-Length", str(50 * 1024 * 1024))
    conn.endheaders()
    conn.send(b"{")  # the rest never comes: the answer must not wait for it
    response = conn.getresponse()
    assert response.status == 413
    conn.close()


def test_wrong_methods_are_405(stack):
    for method, path in [("POST", "/"), ("PUT", "/config.json"), ("DELETE", "/index.html")]:
        req = urllib.request.Request(stack.base_url + path, method=method, data=b"")
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(req)
        assert err.value.code == 405, (method, path)


def test_invocations_run_concurrently_and_a_double_submit_creates_one_thing(stack):
    tok = token(stack)
    key = str(uuid.uuid4())
    body = {"beneficiary_id": "B01", "act_code": "G", "care_date": clock.today().isoformat(),
            "price_cents": 3000, "label": f"course {key[:8]}"}
    results: list[tuple[int, object]] = []
    barrier = threading.Barrier(6)

    def submit():
        barrier.wait()
        results.append(api(stack, "POST", "/claims/estimates", tok, body,
                           {"Idempotency-Key": key}))

    threads = [threading.Thread(target=submit) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = sorted(s for s, _ in results)
    assert set(statuses) <= {201, 409}, results
    assert 201 in statuses
    created = {b["id"] for s, b in results if s == 201}
    assert len(created) == 1
    listed = api(stack, "GET", "/claims/estimates?limit=100", tok)[1]["items"]
    assert sum(1 for e in listed if e["label"] == body["label"]) == 1


def test_security_headers_are_the_templates_on_every_answer(stack):
    """One source: the CloudFront response headers policy of template.yaml."""
    from infra.local import template

    expected = template.security_headers()
    assert "frame-ancestors 'none'" in expected["Content-Security-Policy"]
    for path in ("/", "/config.json", "/api/members/me", "/does-not-exist/"):
        try:
            with urllib.request.urlopen(stack.base_url + path) as r:
                headers = r.headers
        except urllib.error.HTTPError as e:
            headers = e.headers
        for name, value in expected.items():
            assert headers[name] == value, (path, name)


def test_an_undeclared_method_is_405_with_what_is_allowed(stack):
    for method, path, allowed in [("TRACE", "/api/members/me", "GET"),
                                  ("QUERY", "/api/support/uploads", "POST"),
                                  ("PUT", "/api/claims/estimates", "GET, POST")]:
        req = urllib.request.Request(stack.base_url + path, method=method)
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(req)
        assert err.value.code == 405 and err.value.headers["Allow"] == allowed, method


def test_a_failed_transaction_never_undoes_anothers_commit(stack):
    """DynamoDB transactions are isolated. moto rolls a failed one back to a copy of the table
    taken when it began, which erased what other requests wrote meanwhile (a double-clicked
    « Accepter » then lost the take that preceded it): the local stack runs them one at a time."""
    ddb = stack.client("dynamodb")
    table = stack.resources.names["Table"]
    run = uuid.uuid4().hex[:8]
    barrier = threading.Barrier(8)
    errors: list[Exception] = []

    def commit(n):
        barrier.wait()
        for i in range(15):
            ddb.transact_write_items(TransactItems=[{"Put": {"TableName": table, "Item": {
                "pk": {"S": f"TEST#{run}"}, "sk": {"S": f"{n}-{i}"}}}}])

    def fail():
        barrier.wait()
        for _ in range(15):
            try:
                ddb.transact_write_items(TransactItems=[{"ConditionCheck": {
                    "TableName": table, "Key": {"pk": {"S": f"TEST#{run}"}, "sk": {"S": "none"}},
                    "ConditionExpression": "attribute_exists(pk)"}}])
            except ddb.exceptions.TransactionCanceledException:
                pass
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(e)

    threads = [threading.Thread(target=commit, args=(n,)) for n in range(4)] + \
        [threading.Thread(target=fail) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    kept = ddb.query(TableName=table, KeyConditionExpression="pk = :p",
                     ExpressionAttributeValues={":p": {"S": f"TEST#{run}"}})["Count"]
    assert kept == 60


def test_a_failed_transaction_changes_nothing_it_touched(stack):
    ddb = stack.client("dynamodb")
    table = stack.resources.names["Table"]
    pk = {"S": f"TEST#{uuid.uuid4().hex[:8]}"}
    ddb.put_item(TableName=table, Item={"pk": pk, "sk": {"S": "kept"}, "n": {"N": "1"}})
    ddb.put_item(TableName=table, Item={"pk": pk, "sk": {"S": "gone"}, "n": {"N": "1"}})
    with pytest.raises(ddb.exceptions.TransactionCanceledException):
        ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": table, "Item": {"pk": pk, "sk": {"S": "new"}}}},
            {"Update": {"TableName": table, "Key": {"pk": pk, "sk": {"S": "kept"}},
                        "UpdateExpression": "SET n = :two",
                        "ExpressionAttributeValues": {":two": {"N": "2"}}}},
            {"Delete": {"TableName": table, "Key": {"pk": pk, "sk": {"S": "gone"}}}},
            {"ConditionCheck": {"TableName": table, "Key": {"pk": pk, "sk": {"S": "none"}},
                                "ConditionExpression": "attribute_exists(pk)"}}])
    items = ddb.query(TableName=table, KeyConditionExpression="pk = :p",
                      ExpressionAttributeValues={":p": pk})["Items"]
    assert sorted((i["sk"]["S"], i["n"]["N"]) for i in items) == [("gone", "1"), ("kept", "1")]


def test_refusals_and_downloads_are_kept_by_no_cache(stack):
    """Issue 17, item 9: the gateway's 401 and the presigned downloads of health documents
    carried no Cache-Control, so a browser or a shared cache could keep them."""
    for headers in ({}, {"Authorization": "Bearer e30.e30.c2ln"},
                    {"Authorization": f"Bearer {token(stack)}x"}):
        req = urllib.request.Request(stack.base_url + "/api/members/me", headers=headers)
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(req)
        assert err.value.code == 401 and err.value.headers["Cache-Control"] == "no-store"
    tok = token(stack)
    name = "releve.pdf\"; filename*=UTF-8''releve.html; x=\".pdf"
    content = sample_pdf()
    status, ticket = api(stack, "POST", "/support/uploads", tok, {
        "filename": name, "content_type": "application/pdf", "size": len(content)})
    assert status == 201, ticket
    sent = requests.post(ticket["url"], data=ticket["fields"],
                         files={"file": ("f.pdf", content, "application/pdf")}, timeout=10)
    assert sent.status_code in (200, 204), sent.text
    status, body = api(stack, "POST", f"/support/uploads/{ticket['id']}/confirm", tok)
    assert status == 200, body
    status, thread = api(stack, "POST", "/support/threads", tok, {
        "subject": "Mon relevé", "message": "Le voici.", "upload_ids": [ticket["id"]]},
        idempotency())
    assert status == 201, thread
    status, link = api(stack, "GET",
                       f"/support/threads/{thread['id']}/attachments/{ticket['id']}", tok)
    assert status == 200, link
    got = requests.get(link["url"], timeout=10)
    assert got.status_code == 200 and got.content == content
    assert got.headers["Cache-Control"] == "private, no-store"
    disposition = got.headers["Content-Disposition"]
    assert disposition.count("filename=") == 1 and disposition.count("filename*=") == 1
    assert disposition.endswith(".pdf") and ".html\"" not in disposition


def test_a_file_put_in_the_inbox_is_applied_and_reported(stack):
    """S3 sends the inbox's event to its queue (moto, from the bucket's notification
    configuration), the ingest function polls it and writes the report beside the file."""
    from tests import fhir_samples as fs

    s3 = stack.client("s3")
    bucket = stack.resources.names["InboxBucket"]
    member = "2025009201"
    s3.put_object(Bucket=bucket, Key="inbox/local-01.ndjson", Body=fs.ndjson(
        fs.patient(member, email="l.s@example.fr"), fs.coverage(member),
        {"resourceType": "Basic", "id": "x"}))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            body = s3.get_object(Bucket=bucket, Key="reports/local-01.report.json")["Body"]
            report = json.loads(body.read())
            break
        except s3.exceptions.NoSuchKey:
            time.sleep(0.3)
    else:
        raise AssertionError("no report for the inbox file")
    assert (report["lines"], report["applied"]) == (3, 2)
    assert report["rejected"][0]["line"] == 3


def test_the_system_route_takes_signed_calls_only(stack):
    from infra.local.sigv4 import sign
    from tests import fhir_samples as fs

    url = stack.base_url + "/api/system/fhir"
    body = json.dumps(fs.invoice("2024001871", "2032-01")).encode()
    creds = stack.gestion
    signed = sign("POST", url, body, access_key=creds["access_key_id"],
                  secret=creds["secret_access_key"], region=creds["region"],
                  headers={"Content-Type": "application/json"})
    assert requests.post(url, data=body, headers=signed, timeout=10).status_code == 200
    # Another body under the same signature, another key, a token: 403 before the function.
    assert requests.post(url, data=body + b" ", headers=signed, timeout=10).status_code == 403
    forged = sign("POST", url, body, access_key=creds["access_key_id"], secret="guessed",
                  region=creds["region"], headers={"Content-Type": "application/json"})
    assert requests.post(url, data=body, headers=forged, timeout=10).status_code == 403
    answer = requests.post(url, data=body, timeout=10, headers={
        "Authorization": f"Bearer {token(stack)}", "Content-Type": "application/json"})
    assert answer.status_code == 403
