"""Test helpers shared by the integration tests: a moto-backed AWS built from template.yaml,
the demo seed, and in-process calls of handlers with API Gateway v2 events."""

from __future__ import annotations

import importlib
import json
import os
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from infra.local import bootstrap, template
from infra.local.events import http_api_event, iam_identity, match_route
from infra.local.server import LambdaContext

# The management system, as `user` of a call: SigV4-signed, no token.
GESTION = "gestion"

TEST_ENV = {
    "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": bootstrap.REGION, "AWS_REGION": bootstrap.REGION,
    "POWERTOOLS_TRACE_DISABLED": "true", "POWERTOOLS_METRICS_DISABLED": "true",
    "POWERTOOLS_LOG_LEVEL": "CRITICAL",
}


class RulesRunningOut(UserWarning):
    """The engine's rules end soon: add the next year's figures to functions/engine/rules/.
    (Defined here, in an importable module: a test worker's warning is rebuilt by the main
    process from its class's module.)"""


def idempotency(key: str | None = None) -> dict[str, str]:
    """The header a creating route asks for: a fresh key, or `key` to send the same creation
    again (the API then answers what it answered the first time)."""
    return {"Idempotency-Key": key or str(uuid.uuid4())}


def sample_pdf(text: str = "Facture n° 2026-118 : consultation, 30,00 €") -> bytes:
    """A real one-page PDF, as a scanner or a practitioner's software would produce."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, text.encode("latin-1", "replace").decode("latin-1"))
    return bytes(pdf.output())


def sample_image(fmt: str = "PNG") -> bytes:
    """A real small image (a photo of an invoice, say)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 220, 240)).save(buffer, format=fmt)
    return buffer.getvalue()


def plain(text: str) -> str:
    """French typography uses no-break spaces (« 1 234,56 € »); compare with plain ones."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def reset_caches() -> None:
    """Forget what a warm container would keep: settings, clients, identities."""
    from domain import membership
    from shared import idempotency, identity, repository, settings

    settings.get_settings.cache_clear()
    repository._resources.clear()
    repository._relay.clear()
    identity._accounts.clear()
    idempotency._store.clear()
    membership.forget()


@contextmanager
def environment(values: dict[str, str]):
    saved = dict(os.environ)
    os.environ.pop("AWS_ENDPOINT_URL", None)
    os.environ.pop("S3_PUBLIC_ENDPOINT", None)
    os.environ.update(values)
    reset_caches()
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
        reset_caches()


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: Any


class Api:
    """Calls handlers as API Gateway would after its authorizer accepted the token."""

    def __init__(self, resources: bootstrap.Resources, demo: dict[str, Any]) -> None:
        self.resources = resources
        self.demo = demo
        self.routes = template.routes()

    def claims_for(self, email: str) -> dict[str, Any]:
        if email in self.demo.get("advisors", {}):
            sub, groups = self.demo["advisors"][email]["sub"], ["advisors"]
            client = self.resources.advisors_client_id  # the advisors' pool (second factor)
        else:
            known = self.demo["members"].get(email) or self.demo.get("accounts", {})[email]
            sub, groups = known["sub"], []
            client = self.resources.client_id
        claims = {"sub": sub, "token_use": "access", "client_id": client,
                  "scope": "aws.cognito.signin.user.admin", "username": sub}
        if groups:
            claims["cognito:groups"] = groups
            # An advisor's token says when she signed in: older than 10 hours, it is refused.
            from shared import clock

            claims["auth_time"] = clock.epoch()
        return claims

    def access_token(self, email: str) -> str:
        """A fresh access token of a demo user (an advisor answers her authenticator app's
        code), signed in with a client of its own: no call of the functions' is counted."""
        import boto3
        import pyotp

        from infra.local.cognito import DEMO_TOTP_SECRET

        idp = boto3.client("cognito-idp", region_name=bootstrap.REGION)
        advisor = email in self.demo.get("advisors", {})
        client = self.resources.advisors_client_id if advisor else self.resources.client_id
        password = "Demo-Conseiller-2026!" if advisor else "Demo-Adherent-2026!"
        answer = idp.initiate_auth(ClientId=client, AuthFlow="USER_PASSWORD_AUTH",
                                   AuthParameters={"USERNAME": email, "PASSWORD": password})
        if answer.get("ChallengeName") == "SOFTWARE_TOKEN_MFA":
            answer = idp.respond_to_auth_challenge(
                ClientId=client, ChallengeName="SOFTWARE_TOKEN_MFA", Session=answer["Session"],
                ChallengeResponses={"USERNAME": email,
                                    "SOFTWARE_TOKEN_MFA_CODE": pyotp.TOTP(DEMO_TOTP_SECRET).now()})
        return answer["AuthenticationResult"]["AccessToken"]

    def call(self, method: str, path: str, *, user: str = "fatima.l@example.fr",
             query: str = "", body: Any = None, headers: dict[str, str] | None = None,
             claims: dict[str, Any] | None = None) -> Response:
        route, params = match_route(self.routes, method, path)
        assert route is not None, f"no route for {method} {path}"
        raw = body if isinstance(body, str | bytes) or body is None else json.dumps(body)
        hdrs = {"content-type": "application/json", **(headers or {})}
        # An IAM route is reached signed by the management system (the gateway checked it).
        signed = route.authorizer == "AWS_IAM" and user == GESTION
        if "/passkeys" in path and claims is None and not signed and not any(
                k.lower() == "authorization" for k in hdrs):
            # These routes hand her bearer token on to Cognito (its passkey actions take the
            # user's own token): a real one, as the gateway would pass it.
            hdrs["authorization"] = f"Bearer {self.access_token(user)}"
        event = http_api_event(route, path=path, query=query, headers=hdrs, body=raw,
                               claims=None if signed else (
                                   claims if claims is not None else self.claims_for(user)),
                               params=params,
                               iam=iam_identity("LOCALGESTION") if signed else None)
        module, attr = route.handler.rsplit(".", 1)
        handler = getattr(importlib.import_module(module), attr)
        result = handler(event, LambdaContext(function_name=route.function,
                                              aws_request_id=event["requestContext"][
                                                  "requestId"]))
        text = result.get("body") or ""
        try:
            parsed = json.loads(text) if text else None
        except ValueError:
            parsed = text
        return Response(result["statusCode"], result.get("headers") or {}, parsed)

    def get(self, path: str, **kw: Any) -> Response:
        return self.call("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> Response:
        return self.call("POST", path, body=body, **kw)


@contextmanager
def aws_calls(fail=None):
    """Record every AWS call the functions make (service, operation, parameters), through
    botocore's event hooks on the clients of shared.repository; `fail(service, operation,
    params)` may return an exception to raise instead of making the call."""
    from shared import repository

    calls: list[tuple[str, str, dict]] = []

    def hook(event_name: str, params: dict, context: dict | None = None, **_: Any) -> None:
        if (context or {}).get("is_presign_request"):
            return  # presigning signs locally: no call is made
        _, service, operation = event_name.split(".", 2)
        service = "cognito" if service.startswith("cognito") else service
        calls.append((service, operation, params))
        if fail is not None:
            error = fail(service, operation, params)
            if error is not None:
                raise error

    clients = [repository.dynamodb().meta.client, repository.dynamodb_client(),
               repository.s3(), repository.s3(public=True), repository.cognito(),
               repository.cognito_admin(), repository.sqs(), repository.cognito_relay()]
    for client in clients:
        client.meta.events.register("before-parameter-build", hook, unique_id="aws-calls")
    try:
        yield calls
    finally:
        for client in clients:
            client.meta.events.unregister("before-parameter-build", unique_id="aws-calls")


def upload_file(api, content: bytes, content_type: str = "application/pdf",
                name: str = "facture.pdf", user: str = "fatima.l@example.fr",
                confirm: bool = True, declared: int | None = None) -> str:
    """An upload through the one mechanism: ticket, form POST to storage, confirmation.
    `declared`: the size the ticket is asked for, when it is not the file's."""
    import requests

    ticket = api.post("/support/uploads", {"filename": name, "content_type": content_type,
                                           "size": declared or len(content)}, user=user)
    assert ticket.status == 201, ticket.body
    sent = requests.post(ticket.body["url"], data=ticket.body["fields"],
                         files={"file": (name, content, content_type)}, timeout=10)
    assert sent.status_code in (200, 201, 204), sent.text
    if confirm:
        confirmed = api.post(f"/support/uploads/{ticket.body['id']}/confirm", user=user)
        assert confirmed.status == 200, confirmed.body
    return ticket.body["id"]


ADVISOR = "conseiller@example.fr"


def advisor_ref(api, request: dict, user: str = "fatima.l@example.fr") -> str:
    return f"{api.demo['members'][user]['member_id']}_{request['id']}"


def process(api, request: dict, action: str = "accept", message: str | None = None,
            user: str = "fatima.l@example.fr", advisor: str = ADVISOR) -> dict:
    """What an advisor does: open the request, take it, then accept (or refuse, ask)."""
    ref = advisor_ref(api, request, user)
    current = api.get(f"/support/advisor/requests/{ref}", user=advisor)
    assert current.status == 200, current.body
    version = current.body["version"]
    if current.body["status"] == "sent" and action in ("accept", "refuse"):
        taken = api.post(f"/support/advisor/requests/{ref}/take", {"version": version},
                         user=advisor)
        assert taken.status == 200, taken.body
        version = taken.body["version"]
    body = {"version": version, **({"message": message} if message else {})}
    done = api.post(f"/support/advisor/requests/{ref}/{action}", body, user=advisor)
    assert done.status == 200, done.body
    return done.body


def run_queues(api, attempt: int | None = None) -> int:
    """Hand the queues' waiting messages to their functions in-process, as the local stack's
    pollers do (infra.local.queues): returns how many were handed over. `attempt` overrides
    the receive count the function sees (the last attempt of a failing export, say)."""
    import time
    import uuid

    import boto3

    from infra.local.queues import deliver, event_sources

    sqs = boto3.client("sqs", region_name=bootstrap.REGION)
    functions = template.resources("AWS::Serverless::Function")
    handled = 0
    for source in event_sources():
        module, attr = functions[source.function]["Handler"].rsplit(".", 1)
        handler = getattr(importlib.import_module(module), attr)
        timeout = float(functions[source.function].get("Timeout", 10))

        def invoke(event, handler=handler, source=source, timeout=timeout):
            if attempt is not None:
                for record in event["Records"]:
                    record["attributes"]["ApproximateReceiveCount"] = str(attempt)
            return handler(event, LambdaContext(function_name=source.function,
                                                aws_request_id=str(uuid.uuid4()),
                                                deadline=time.monotonic() + timeout))

        url = api.resources.names[source.queue]
        while True:
            # Messages sent with a delay (an export's) are waited for, as the poller would.
            for _ in range(50):
                delayed = sqs.get_queue_attributes(
                    QueueUrl=url, AttributeNames=["ApproximateNumberOfMessagesDelayed"])
                if not int(delayed["Attributes"]["ApproximateNumberOfMessagesDelayed"]):
                    break
                time.sleep(0.1)
            count = deliver(sqs, url, source, bootstrap.REGION, invoke)
            if not count:
                break
            handled += count
    return handled


# ------------------------------------------------------------------ the outbox's way out
OUTBOX: dict[str, str | None] = {"after": None}  # the stream position read up to


def _outbox_names() -> dict[str, str]:
    """The table, queues and bus of this world (bootstrap names them `<logical>-<suffix>`)."""
    import boto3

    table = os.environ["TABLE_NAME"]
    suffix = table.split("-", 1)[1]
    sqs = boto3.client("sqs", region_name=bootstrap.REGION)
    names = {"Table": table}
    for queue in ("MailQueue", "MailDeadLetterQueue", "GestionQueue", "GestionDeadLetterQueue",
                  "OutboxRelayDeadLetterQueue"):
        names[queue] = sqs.get_queue_url(QueueName=f"{queue}-{suffix}")["QueueUrl"]
    return names


def relay_reader(invoke=None, *, after: str | None = None):
    """The relay's stream event source (infra/local/streams.py) on this world's table,
    invoking the relay in-process (or `invoke`)."""
    import boto3
    from outbox import relay

    from infra.local.streams import StreamReader, stream_sources

    source = next(s for s in stream_sources() if s.function == "OutboxRelayFunction")
    session = boto3.session.Session(region_name=bootstrap.REGION)
    return StreamReader(
        source, dynamodb=session.client("dynamodb"), streams=session.client("dynamodbstreams"),
        sqs=session.client("sqs"), names=_outbox_names(), region=bootstrap.REGION,
        invoke=invoke or (lambda event: relay.lambda_handler(
            event, LambdaContext(function_name="OutboxRelayFunction"))), after=after)


def run_mailer(invoke=None) -> int:
    """The mailer over what MailQueue holds (as its SQS event source would); answers how many
    messages it was handed."""
    import boto3
    from outbox import mailer

    from infra.local.queues import deliver, event_sources

    source = next(s for s in event_sources() if s.function == "MailerFunction")
    sqs = boto3.client("sqs", region_name=bootstrap.REGION)
    url = _outbox_names()["MailQueue"]
    invoke = invoke or (lambda event: mailer.lambda_handler(
        event, LambdaContext(function_name="MailerFunction")))
    handed = 0
    while (n := deliver(sqs, url, source, bootstrap.REGION, invoke)):
        handed += n
    return handed


def deliver_outbox() -> int:
    """What the local stack's pollers do in the background, done now in-process: the relay
    over the table's stream since the last call (the bus then routes to GestionQueue and
    MailQueue), then the mailer over MailQueue. Answers how many outbox records the relay
    was handed."""
    reader = relay_reader(after=OUTBOX["after"])
    relayed = reader.poll_once()
    OUTBOX["after"] = reader.last_sequence
    run_mailer()
    return relayed


def sent_mail() -> list[dict[str, Any]]:
    """The emails sent (newest first), once the outbox has delivered what it holds."""
    from infra.local import mailbox

    deliver_outbox()
    return mailbox.sent()
