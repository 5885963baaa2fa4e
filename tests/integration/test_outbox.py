"""What the portal tells the management system, and every email, leaves through the outbox:
written in the same transaction as the change (a change never goes without its event, an
event never leaves for a change not made), relayed from the table's stream to the bus, routed
to the management system's queue or to the mailer, retried, and parked in a dead-letter queue
when it keeps failing; an email is sent once, whatever is retried or duplicated."""

import json
from datetime import timedelta

import boto3
import pytest
from botocore.exceptions import ClientError

from infra.local import mailbox
from shared import clock
from tests.helpers import (
    OUTBOX,
    _outbox_names,
    aws_calls,
    deliver_outbox,
    idempotency,
    process,
    relay_reader,
    run_mailer,
    sample_pdf,
    upload_file,
)

FATIMA = "fatima.l@example.fr"
REGION = "eu-west-3"
NEW_IBAN = "FR7630006000011234567890189"


def table(api):
    return boto3.resource("dynamodb", region_name=REGION).Table(api.resources.names["Table"])


def outbox_items(api, user=FATIMA):
    member = api.demo["members"][user]["member_id"]
    answer = table(api).query(KeyConditionExpression="pk = :pk AND begins_with(sk, :o)",
                              ExpressionAttributeValues={":pk": f"MEMBER#{member}",
                                                         ":o": "OUTBOX#"})
    return answer["Items"]


def events_of(api, detail_type, user=FATIMA):
    return [i["event"] for i in outbox_items(api, user)
            if i["event"]["detail_type"] == detail_type]


def received(queue: str) -> list[dict]:
    """Everything waiting in a queue (received and deleted), as the consumer reads it."""
    sqs = boto3.client("sqs", region_name=REGION)
    url = _outbox_names()[queue]
    out = []
    while True:
        batch = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not batch:
            return out
        for m in batch:
            out.append(json.loads(m["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])


@pytest.fixture(autouse=True)
def drained(api):
    """Each test starts with what earlier ones left delivered and consumed."""
    deliver_outbox()
    for queue in ("GestionQueue", "GestionDeadLetterQueue", "OutboxRelayDeadLetterQueue"):
        received(queue)


def reimbursement_request(api):
    upload = upload_file(api, sample_pdf())
    r = api.post("/support/requests/reimbursement", {
        "beneficiary_id": "B02", "act_code": "G",
        "care_date": (clock.today() - timedelta(days=3)).isoformat(), "amount_cents": 3000,
        "practitioner": {"sector": 1, "optam": True}, "upload_ids": [upload]},
        headers=idempotency())
    assert r.status == 201, r.body
    return r.body


# ----------------------------------------------------------------------------- written
def test_accepting_a_reimbursement_writes_its_payment_request_with_the_change(api):
    sent = reimbursement_request(api)
    done = process(api, sent)
    (event,) = [e for e in events_of(api, "ReimbursementPaymentRequested")
                if e["detail"]["request_id"] == sent["id"]]
    detail = event["detail"]
    assert detail["claim_id"] == done["claim_id"] and detail["reference"] == sent["reference"]
    assert detail["price_cents"] == 3000 and detail["act_code"] == "G"
    assert detail["beneficiary_id"] == "B02"
    assert detail["practitioner"] == {"sector": 1, "optam": True}
    claim = api.get(f"/claims/{done['claim_id']}").body
    assert detail["mutual_cents_estimated"] == claim["mutual_cents"]
    assert event["schema_version"] == 1 and event["source"] == "espace-adherent.portal"


def test_a_failed_acceptance_writes_neither_the_change_nor_its_event(api):
    sent = reimbursement_request(api)
    before = len(events_of(api, "ReimbursementPaymentRequested"))

    def fail(service, operation, params):
        if operation == "TransactWriteItems":
            return ClientError({"Error": {"Code": "ProvisionedThroughputExceededException",
                                          "Message": "injected"}}, operation)
        return None

    ref = f"{api.demo['members'][FATIMA]['member_id']}_{sent['id']}"
    version = api.get(f"/support/advisor/requests/{ref}", user="conseiller@example.fr").body[
        "version"]
    taken = api.post(f"/support/advisor/requests/{ref}/take", {"version": version},
                     user="conseiller@example.fr").body
    emails_before = len(events_of(api, "EmailRequested"))
    with aws_calls(fail=fail):
        r = api.post(f"/support/advisor/requests/{ref}/accept", {"version": taken["version"]},
                     user="conseiller@example.fr")
    assert r.status == 503
    assert len(events_of(api, "ReimbursementPaymentRequested")) == before
    assert len(events_of(api, "EmailRequested")) == emails_before
    assert api.get(f"/support/requests/{sent['id']}").body["status"] == "in_progress"
    # Nor does the stream carry anything of it: the relay finds nothing new to send.
    deliver_outbox()
    assert not received("GestionQueue")


def test_new_bank_details_accepted_tell_the_management_system(api):
    doc = upload_file(api, sample_pdf("RIB"))
    filed = api.post("/contract/bank-details", {
        "target": "benefit", "beneficiary_id": "B03", "iban": NEW_IBAN,
        "holder": "Fatima Lambert", "password": "Demo-Adherent-2026!", "upload_ids": [doc]},
        headers=idempotency())
    assert filed.status == 201, filed.body
    assert not [e for e in events_of(api, "BankDetailsReplaced")
                if e["detail"]["request_id"] == filed.body["id"]]  # not before an advisor
    process(api, filed.body)
    (event,) = [e for e in events_of(api, "BankDetailsReplaced")
                if e["detail"]["request_id"] == filed.body["id"]]
    assert event["detail"] == {"request_id": filed.body["id"], "target": "benefit",
                               "beneficiary_id": "B03", "iban": NEW_IBAN,
                               "holder": "Fatima Lambert"}


def test_a_beneficiary_added_tells_the_management_system(api):
    doc = upload_file(api, sample_pdf("Acte de naissance"))
    birth = (clock.today() - timedelta(days=60)).isoformat()
    filed = api.post("/contract/beneficiaries", {
        "first_name": "Lou", "last_name": "Lambert", "birth_date": birth,
        "relationship": "child", "upload_ids": [doc]}, headers=idempotency())
    assert filed.status == 201, filed.body
    process(api, filed.body)
    (event,) = [e for e in events_of(api, "BeneficiaryAdded")
                if e["detail"]["request_id"] == filed.body["id"]]
    assert event["detail"]["first_name"] == "Lou" and event["detail"]["birth_date"] == birth
    assert event["detail"]["relationship"] == "child"
    assert event["detail"]["beneficiary_id"] in {
        b["id"] for b in api.get("/contract").body["beneficiaries"]}


def test_a_new_address_tells_the_management_system(api):
    profile = api.get("/members/profile").body
    changed = api.call("PUT", "/members/profile", body={
        "version": profile["version"], "phone": profile["phone"],
        "address": {"line1": "8 rue Paul Bert", "postcode": "69003", "city": "Lyon"},
        "preferences": profile["preferences"]})
    assert changed.status == 200, changed.body
    event = events_of(api, "AddressChanged")[-1]
    assert event["detail"] == {"address": {"line1": "8 rue Paul Bert", "postcode": "69003",
                                           "city": "Lyon", "country": "France"}}
    # A change of the phone alone is none of the management system's business here.
    count = len(events_of(api, "AddressChanged"))
    again = api.get("/members/profile").body
    phone = api.call("PUT", "/members/profile", body={
        "version": again["version"], "phone": "0611223344",
        "address": {"line1": "8 rue Paul Bert", "postcode": "69003", "city": "Lyon"},
        "preferences": again["preferences"]})
    assert phone.status == 200, phone.body
    assert len(events_of(api, "AddressChanged")) == count


# ----------------------------------------------------------------------------- relayed
def test_the_relay_puts_events_on_the_bus_and_the_management_system_receives_them(api):
    sent = reimbursement_request(api)
    process(api, sent)
    assert deliver_outbox() >= 1
    messages = received("GestionQueue")
    mine = [m for m in messages if m["detail"]["detail"].get("request_id") == sent["id"]]
    assert len(mine) == 1
    envelope = mine[0]
    assert envelope["source"] == "espace-adherent.portal"
    assert envelope["detail-type"] == "ReimbursementPaymentRequested"
    assert envelope["detail"]["member_id"] == api.demo["members"][FATIMA]["member_id"]
    # Emails go to the mailer, never to the management system.
    assert all(m["detail-type"] != "EmailRequested" for m in messages)
    # And the request's email was sent.
    assert any(sent["reference"] in m["subject"] and "transmise pour paiement" in m["subject"]
               for m in mailbox.sent())


def failing(client, event: str, code: str, operation: str, times: int, name: str) -> list:
    """`client` refuses its first `times` calls of `event` (an injected `code`), its hook
    registered as `name`; the calls made are listed in what it returns."""
    calls = []

    def hook(params, **_):
        calls.append(params)
        if len(calls) <= times:
            raise ClientError({"Error": {"Code": code, "Message": "injected"}}, operation)

    client.meta.events.register(event, hook, unique_id=name)
    return calls


def failing_bus(times: int):
    """The bus refuses the first `times` PutEvents calls (throttled)."""
    from shared import repository

    client = repository.events()
    return client, failing(client, "before-parameter-build.events.PutEvents",
                           "ThrottlingException", "PutEvents", times, "failing-bus")


def test_a_refused_put_is_retried_and_delivered_once(api):
    sent = reimbursement_request(api)
    process(api, sent)
    client, calls = failing_bus(2)
    try:
        deliver_outbox()
    finally:
        client.meta.events.unregister("before-parameter-build.events.PutEvents",
                                      unique_id="failing-bus")
    assert len(calls) >= 3
    mine = [m for m in received("GestionQueue")
            if m["detail"]["detail"].get("request_id") == sent["id"]]
    assert len(mine) == 1
    assert not received("OutboxRelayDeadLetterQueue")


def test_a_bus_that_keeps_refusing_parks_the_batch_in_the_dead_letter_queue(api):
    sent = reimbursement_request(api)
    process(api, sent)
    client, calls = failing_bus(10_000)
    try:
        deliver_outbox()
    finally:
        client.meta.events.unregister("before-parameter-build.events.PutEvents",
                                      unique_id="failing-bus")
    from infra.local.streams import stream_sources

    source = next(s for s in stream_sources() if s.function == "OutboxRelayFunction")
    assert source.max_retries == 8 and source.on_failure == "OutboxRelayDeadLetterQueue"
    assert len(calls) > source.max_retries  # tried, retried, bisected
    parked = received("OutboxRelayDeadLetterQueue")
    assert parked and all(p["requestContext"]["condition"] == "RetryAttemptsExhausted"
                          for p in parked)
    info = parked[0]["DDBStreamBatchInfo"]
    assert info["streamArn"].endswith("/stream/" + info["streamArn"].rsplit("/", 1)[1])
    assert int(info["startSequenceNumber"]) <= int(info["endSequenceNumber"])
    assert not received("GestionQueue")


def test_a_partly_refused_batch_is_retried_from_the_first_refused_event(api, monkeypatch):
    """PutEvents may take some entries and refuse others: the relay reports the first refused
    record, Lambda retries from it, nothing is lost and order holds."""
    from outbox import repository

    answers = [api.post("/support/requests/other", {
        "category": "other", "subject": f"Question {i}", "message": "Bonjour."},
        headers=idempotency()) for i in range(3)]
    assert all(a.status == 201 for a in answers), [a.body for a in answers]
    references = [a.body["reference"] for a in answers]
    real = repository.events
    refused = []

    class HalfBus:
        def put_events(self, Entries):  # noqa: N803 - boto3's own name
            if not refused:
                refused.append(Entries[1:])
                answer = real().put_events(Entries=Entries[:1])
                return {"FailedEntryCount": len(Entries) - 1, "Entries": [
                    *answer["Entries"], *({"ErrorCode": "InternalFailure"}
                                          for _ in Entries[1:])]}
            return real().put_events(Entries=Entries)

    monkeypatch.setattr(repository, "events", HalfBus)
    reader = relay_reader(after=OUTBOX["after"])
    reader.poll_once()
    OUTBOX["after"] = reader.last_sequence
    assert refused and len(refused[0]) >= 2  # the first taken, the rest refused...
    run_mailer()
    subjects = [m["subject"] for m in mailbox.sent()]
    for reference in references:  # ...then put again on the retry: every email sent, once
        assert len([s for s in subjects if reference in s]) == 1, reference


# ----------------------------------------------------------------------------- emails
def failing_ses(times: int):
    from shared import repository

    client = repository.ses()
    return client, failing(client, "before-parameter-build.ses.SendEmail", "Throttling",
                           "SendEmail", times, "failing-ses")


def mail_messages():
    """What the mailer would be handed: the MailQueue's messages, left in the queue."""
    sqs = boto3.client("sqs", region_name=REGION)
    url = _outbox_names()["MailQueue"]
    return sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0,
                               AttributeNames=["All"]).get("Messages", [])


def invoke_mailer(messages):
    from outbox import mailer

    from infra.local.queues import sqs_event
    from infra.local.server import LambdaContext

    return mailer.lambda_handler(sqs_event(messages, "arn:aws:sqs:eu-west-3:1:MailQueue",
                                           REGION),
                                 LambdaContext(function_name="MailerFunction"))


def test_a_failed_send_is_retried_and_a_retry_never_sends_twice(api):
    sent = api.post("/support/requests/other", {"category": "other", "subject": "Une question",
                                                "message": "Bonjour."},
                    headers=idempotency()).body
    reader = relay_reader(after=OUTBOX["after"])
    reader.poll_once()
    OUTBOX["after"] = reader.last_sequence
    messages = mail_messages()
    assert len(messages) == 1
    mine = lambda: [m for m in mailbox.sent() if sent["reference"] in m["subject"]]  # noqa: E731
    client, calls = failing_ses(1)
    try:
        first = invoke_mailer(messages)
    finally:
        client.meta.events.unregister("before-parameter-build.ses.SendEmail",
                                      unique_id="failing-ses")
    assert first["batchItemFailures"] == [{"itemIdentifier": messages[0]["MessageId"]}]
    assert not mine()
    assert invoke_mailer(messages) == {"batchItemFailures": []}  # the queue's retry
    assert len(mine()) == 1
    assert invoke_mailer(messages) == {"batchItemFailures": []}  # delivered again
    assert len(mine()) == 1
    run_mailer()
    assert len(mine()) == 1


def test_a_stream_record_delivered_twice_sends_one_email(api):
    sent = api.post("/support/requests/other", {"category": "other", "subject": "Deux fois",
                                                "message": "Bonjour."},
                    headers=idempotency()).body
    start = OUTBOX["after"]
    for _ in range(2):  # the same records, relayed twice (a retried batch)
        reader = relay_reader(after=start)
        reader.poll_once()
    OUTBOX["after"] = reader.last_sequence
    assert len(mail_messages()) == 2
    run_mailer()
    assert len([m for m in mailbox.sent() if sent["reference"] in m["subject"]]) == 1


def test_verification_codes_are_sent_at_once_not_through_the_outbox(api):
    """A code she waits for on the page is sent synchronously: a failure is the request's
    (503), never a code that arrives later or not at all."""
    before = len(outbox_items(api))
    before_mail = len(mailbox.sent())
    r = api.post("/public/password-resets", {"email": FATIMA}, claims={},
                 headers=idempotency())
    assert r.status in (200, 202), r.body
    assert len(outbox_items(api)) == before
    assert len(mailbox.sent()) == before_mail + 1  # sent at once, no relay needed


def test_a_confirmed_new_email_tells_the_management_system_and_the_old_address(api):
    from tests.integration.account_helpers import (
        caller_of,
        code_from,
        mails_to,
        member_items,
        new_member,
    )

    member = new_member(api)
    who = caller_of(api, member)
    new = f"nouvelle.{member['member_id']}@example.fr"
    asked = api.call("POST", "/members/email-changes",
                     body={"email": new, "password": "Demo-Adherent-2026!"},
                     claims=who["claims"], headers={**who["headers"], **idempotency()})
    assert asked.status == 201, asked.body
    confirmed = api.call("POST", "/members/email-changes/confirm",
                         body={"code": code_from(mails_to(new)[0])}, claims=who["claims"],
                         headers=who["headers"])
    assert confirmed.status == 200, confirmed.body
    events = [i["event"] for i in member_items(api, member["member_id"], "OUTBOX#")]
    assert [e["detail"] for e in events if e["detail_type"] == "EmailChanged"] == \
        [{"email": new}]
    told = [e["detail"] for e in events if e["detail_type"] == "EmailRequested"
            and e["detail"]["to"] == member["email"]]
    assert any("a été changée" in d["subject"] for d in told)
    assert any("a été changée" in m["subject"] for m in mails_to(member["email"]))
