"""A sample request for every route of template.yaml, for the tests that must cover every
route: the access matrix, the DynamoDB call budget. A route without a sample here fails those
tests, so a new route cannot be born unchecked. The sample bodies (`estimate_body`,
`request_body`, ...) are the ones every other test starts from, changing what it tests.

Samples are for Fatima (the owner). `client` is anything with `call(method, path, *, user,
body, headers) -> (status, body)`: the in-process API (`InProcess`) or the local stack over
HTTP (`Http`).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

import requests

from shared import clock
from shared.dates import PARIS
from tests.helpers import GESTION, idempotency, sample_pdf
from tests.payments import late_periods

WALLET = "/public/wallet/apple/v1"
PASS_TYPE = "pass.example.clairval.carte"  # infra/local/wallet_keys.py
OWNER = "fatima.l@example.fr"
OTHER = "paul.m@example.fr"
ADVISOR = "conseiller@example.fr"
TRUSTED = "marc.l@example.fr"  # a trusted person's account, with no contract of its own


class InProcess:
    """The in-process API (handlers under moto), as a client of the samples."""

    def __init__(self, api: Any, user: str = OWNER) -> None:
        self.api, self.user = api, user

    def call(self, method, path, *, user=None, body=None, headers=None):
        path, _, query = path.partition("?")
        r = self.api.call(method, path, user=user or self.user, query=query, body=body,
                          headers=headers)
        return r.status, r.body


ADVISORS = {ADVISOR, "conseillere2@example.fr"}
PASSWORDS = {OWNER: "Demo-Adherent-2026!", OTHER: "Demo-Adherent-2026!",
             ADVISOR: "Demo-Conseiller-2026!", "conseillere2@example.fr": "Demo-Conseiller-2026!",
             TRUSTED: "Demo-Adherent-2026!"}


class Http:
    """The local stack's API over HTTP, each demo user signed in for real (once)."""

    def __init__(self, stack) -> None:
        self.stack = stack
        self.tokens: dict[str, str] = {}

    def login(self, user: str) -> str:
        if user in ADVISORS:
            return self.stack.advisor_sign_in(user, PASSWORDS[user])["AccessToken"]
        return self.stack.member_sign_in(user, PASSWORDS[user])["AccessToken"]

    def token(self, user: str) -> str:
        if user not in self.tokens:
            self.tokens[user] = self.login(user)
        return self.tokens[user]

    def call(self, method, path, *, user=None, token=None, body=None, headers=None):
        if token is None and user is not None and user != GESTION:
            token = self.token(user)
        hdrs = {"Content-Type": "application/json", **(headers or {})}
        if token:
            hdrs["Authorization"] = f"Bearer {token}"
        data = json.dumps(body).encode() if body is not None else None
        url = self.stack.base_url + "/api" + path
        if user == GESTION and token is None:
            from infra.local.sigv4 import sign

            creds = self.stack.gestion
            hdrs = sign(method, url, data or b"", access_key=creds["access_key_id"],
                        secret=creds["secret_access_key"], region=creds["region"],
                        headers=hdrs)
        req = urllib.request.Request(url, method=method, data=data, headers=hdrs)
        try:
            with urllib.request.urlopen(req) as r:
                raw = r.read()
                return r.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as e:
            raw = e.read()
            return e.code, json.loads(raw) if raw else None


class World:
    """Objects of the owner's, made on demand through the API itself."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def call(self, method: str, path: str, body: Any = None, headers: dict | None = None):
        status, answer = self.client.call(method, path, user=OWNER, body=body,
                                          headers=headers or {})
        assert status < 300, (method, path, status, answer)
        return answer

    def claim_id(self) -> str:
        return self.call("GET", "/claims?limit=1")["items"][0]["id"]

    def paid_claim_id(self) -> str:
        """A payment of the owner's: a reimbursement the mutuelle transferred money for."""
        return next(c["id"] for c in self.call("GET", "/claims?limit=50")["items"]
                    if c["status"] == "paid" and c["mutual_cents"] > 0)

    def estimate_id(self) -> str:
        return self.call("POST", "/claims/estimates", estimate_body(), idempotency())["id"]

    def member_id(self) -> str:
        return self.call("GET", "/members/me")["member_number"]

    def upload_id(self) -> str:
        pdf = sample_pdf()
        ticket = self.call("POST", "/support/uploads", {
            "filename": "facture.pdf", "content_type": "application/pdf", "size": len(pdf)})
        sent = requests.post(ticket["url"], data=ticket["fields"],
                             files={"file": ("facture.pdf", pdf)}, timeout=10)
        assert sent.status_code < 300, sent.text
        return ticket["id"]

    def ready_upload_id(self) -> str:
        upload_id = self.upload_id()
        self.call("POST", f"/support/uploads/{upload_id}/confirm")
        return upload_id

    def request_id(self) -> str:
        return self.call("POST", "/support/requests/reimbursement",
                         request_body(self.ready_upload_id()), idempotency())["id"]

    def ref(self) -> str:
        """How advisors name a new request of the owner's."""
        return f"{self.member_id()}_{self.request_id()}"

    def card_code(self) -> str:
        card = self.call("GET", "/contract/card")
        return card["check_url"].rsplit("c=", 1)[1]

    def apple_pass(self) -> dict:
        """A new Apple Wallet pass of the owner's: its pass.json (serial, token)."""
        import io
        import zipfile

        link = self.call("POST", "/contract/card/wallet/apple", {}, idempotency())
        got = requests.get(link["url"], timeout=10)
        assert got.status_code == 200, got.text
        return json.loads(zipfile.ZipFile(io.BytesIO(got.content)).read("pass.json"))

    def document_id(self) -> str:
        return self.call("GET", "/documents?limit=1")["items"][0]["id"]

    def attestation(self) -> dict:
        """A new attestation of the owner's (whole family)."""
        return self.call("POST", "/documents/attestations", {}, idempotency())["attestation"]

    def thread_id(self) -> str:
        """A new conversation of the owner's."""
        return self.call("POST", "/support/threads", {
            "subject": "Une question", "message": "Bonjour, une question sur ma carte."},
            idempotency())["id"]

    def thread_ref(self) -> str:
        """How advisors name a new conversation of the owner's."""
        return f"{self.member_id()}_{self.thread_id()}"

    def attached_thread(self) -> tuple[str, str]:
        """A new conversation with one attachment: (thread id, upload id)."""
        upload_id = self.ready_upload_id()
        thread = self.call("POST", "/support/threads", {
            "subject": "Un document", "message": "Voici le document.",
            "upload_ids": [upload_id]}, idempotency())
        return thread["id"], upload_id

    def advisor(self, method: str, path: str, body: Any = None):
        status, answer = self.client.call(method, path, user=ADVISOR, body=body, headers={})
        assert status < 300, (method, path, status, answer)
        return answer

    def free_slot_start(self) -> tuple[str, str]:
        """A day and a time where the advisor has no slot yet, within the opening hours, two
        days ahead at least (bookable by members)."""
        from support.logic.opening_hours import default_hours

        taken = [(s["starts_at"], s["ends_at"]) for s in self.advisor(
            "GET", "/support/advisor/callback-slots")["items"] if s["mine"]]
        taken_starts = {datetime.fromisoformat(a) for a, _ in taken}
        hours = default_hours()
        for offset in range(2, 13):
            day = clock.today() + timedelta(days=offset)
            for begin, end in hours.periods_on(day):
                moment = begin
                while moment + timedelta(minutes=15) <= end:
                    if not any(datetime.fromisoformat(a) < moment + timedelta(minutes=15)
                               and moment < datetime.fromisoformat(b) for a, b in taken) \
                            and moment not in taken_starts:
                        return day.isoformat(), moment.strftime("%H:%M")
                    moment += timedelta(minutes=15)
        raise AssertionError("no free slot time in the next days")

    def slot_id(self) -> str:
        """A new open slot, and the owner free to book it (her call-back to come cancelled)."""
        day, start = self.free_slot_start()
        slot = self.advisor("POST", "/support/advisor/callback-slots",
                            {"day": day, "start": start, "minutes": 15})["items"][0]
        for booking in self.call("GET", "/support/callbacks?limit=100")["items"]:
            if booking["can_cancel"]:
                self.call("POST", f"/support/callbacks/{booking['id']}/cancel")
        return slot["id"]

    def callback_id(self) -> str:
        """A call-back the owner booked (and may cancel)."""
        slot_id = self.slot_id()
        return self.call("POST", "/support/callbacks", callback_body(slot_id), idempotency())["id"]

    def profile_change(self) -> dict:
        """Her profile as read now, with another phone number (a real change)."""
        current = self.call("GET", "/members/profile")
        phone = "07 98 76 54 32" if current["phone"] != "07 98 76 54 32" else "06 12 34 56 78"
        return {"version": current["version"], "phone": phone,
                "address": {k: v for k, v in current["address"].items() if k != "country"},
                "preferences": current["preferences"]}

    def ready_export_id(self) -> str:
        """An export of the owner's data, ready to download: prepared by the export queue's
        worker (the local stack's poller; in-process, the test hands the queue over itself)."""
        import time

        from tests.helpers import run_queues

        for _ in range(200):
            exports = self.call("GET", "/members/me/exports?limit=5")["items"]
            ready = next((e for e in exports if e["status"] == "ready"), None)
            if ready:
                return ready["id"]
            if not any(e["status"] == "preparing" for e in exports):
                self.call("POST", "/members/me/exports", {}, idempotency())
            if hasattr(self.client, "api"):
                run_queues(self.client.api)
            else:
                time.sleep(0.2)
        raise AssertionError("the owner's data export never became ready")
    def other_session_id(self, user: str = OWNER) -> str:
        """Another open session of `user`'s (a new sign-in, its first page opened): the one
        the closing samples close, never the session the tests call with."""
        if hasattr(self.client, "login"):  # the local stack: a real sign-in
            token = self.client.login(user)
            first = "/support/advisor/duty" if user in ADVISORS else "/members/me"
            listing = "/support/advisor/sessions" if user in ADVISORS else "/members/me/sessions"
            assert self.client.call("GET", first, token=token)[0] == 200
            status, answer = self.client.call("GET", listing, token=token)
        else:  # in-process: the claims of a new sign-in
            api = self.client.api
            claims = {**api.claims_for(user), "origin_jti": str(uuid.uuid4()),
                      "jti": str(uuid.uuid4()), "auth_time": str(clock.epoch()),
                      "iat": str(clock.epoch())}
            first = "/support/advisor/duty" if user in ADVISORS else "/members/me"
            listing = "/support/advisor/sessions" if user in ADVISORS else "/members/me/sessions"
            assert api.get(first, claims=claims).status == 200
            answer = api.get(listing, claims=claims)
            status, answer = answer.status, answer.body
        assert status == 200, answer
        return next(s["id"] for s in answer["items"] if s["current"])

    def place_id(self) -> str:
        """The optician nearest to Lyon 3e (reference data: the same for every caller)."""
        return self.call("GET", "/services/places?postcode=69003&kind=optician&limit=1"
                         )["items"][0]["id"]

    def teleconsultation_id(self) -> str:
        """A teleconsultation of the owner's, to come (cancellable)."""
        return self.call("POST", "/services/teleconsultations", teleconsultation_body(),
                         idempotency())["id"]
    def open_payment(self) -> dict:
        """A card payment of the owner's late instalments, open at the provider (the one
        already open for them, if any)."""
        from tests.payments import late_periods

        periods, amount = late_periods(self.call("GET", "/contract/contributions"))
        return self.call("POST", "/contract/payments",
                         {"periods": periods, "amount_cents": amount}, idempotency())

    def payment_id(self) -> str:
        return self.open_payment()["id"]

    def overpayment_id(self) -> str:
        """A new trop-perçu of the owner's, sent by the management system (due, untouched)."""
        from tests.overpay_samples import overpayment

        op_id = f"TP-{uuid.uuid4().hex[:12].upper()}"
        status, answer = self.client.call("POST", "/system/fhir", user=GESTION,
                                          body=overpayment(self.member_id(), op_id=op_id),
                                          headers={})
        assert status == 200, answer
        return op_id

    def procuration_body(self, email: str = "proche.exemple@example.fr",
                         scope: str = "act") -> dict:
        """An invitation to `email`, the owner's open ones to that address ended first (3 at
        most at once: the access matrix keeps two of its own for Marc)."""
        for given in self.call("GET", "/members/procurations")["given"]:
            if given["status"] != "ended" and given["grantee_email"] == email:
                self.call("POST", f"/members/procurations/{given['id']}/end")
        return {"first_name": "Anne", "last_name": "Proche", "email": email, "scope": scope,
                "until": (clock.today() + timedelta(days=30)).isoformat()}

    def procuration(self, email: str = TRUSTED, scope: str = "act") -> dict:
        """A procuration of the owner's that `email` accepted, with the code the local stack's
        mailbox received (an Http client only)."""
        import re
        import time

        invitation = self.call("POST", "/members/procurations",
                               self.procuration_body(email, scope), idempotency())
        code = None
        for _ in range(100):
            with urllib.request.urlopen(self.client.stack.base_url +
                                        "/local/courriels.json") as r:
                mails = json.loads(r.read())["items"]
            found = next((m for m in mails if invitation["id"] in m["body"]), None)
            if found:
                code = re.search(r"code d'invitation : ([A-Z0-9]{8})", found["body"]).group(1)
                break
            time.sleep(0.1)
        assert code, "the invitation email never came"
        status, answer = self.client.call("POST", "/members/procurations/accept", user=email,
                                          body={"invitation": invitation["id"], "code": code})
        assert status == 200, answer
        return answer

    def procuration_id(self) -> str:
        """A new invitation of the owner's (not accepted)."""
        return self.call("POST", "/members/procurations", self.procuration_body(),
                         idempotency())["id"]

    def asked_request_id(self) -> str:
        """A request an advisor asked information about: the member may answer it."""
        request_id = self.request_id()
        status, answer = self.client.call(
            "POST", f"/support/advisor/requests/{self.member_id()}_{request_id}/ask",
            user=ADVISOR, body={"version": 1, "message": "Il manque la facture."}, headers={})
        assert status == 200, answer
        return request_id


def estimate_body(**over: Any) -> dict:
    """A GP consultation today for Inès (B03), Fatima's daughter; `over` changes fields."""
    return {"beneficiary_id": "B03", "act_code": "G", "care_date": clock.today().isoformat(),
            "price_cents": 3000, **over}


def payment_resource() -> dict:
    """An ExplanationOfBenefit of the management system: a GP consultation of Inès's paid
    (a new one each time)."""
    from tests.fhir_samples import eob

    day = clock.today() - timedelta(days=3)
    return eob("2024001871", "B03", eob_id=f"GST-{uuid.uuid4().hex[:12]}",
               care_date=day.isoformat(), paid_on=clock.today().isoformat())


def public_estimate_body() -> dict:
    """The discovery mode's estimate: a formula and a birth date stand for the member."""
    return {**estimate_body(), "formula_id": "equilibre", "birth_date": "2017-06-14"}


def callback_body(slot_id: str) -> dict:
    return {"slot_id": slot_id, "phone": "06 12 34 56 78",
            "topic": "Une question sur mes remboursements d'optique."}


def teleconsultation_body(**over: Any) -> dict:
    start = clock.now().astimezone(PARIS).replace(minute=0, second=0, microsecond=0) \
        + timedelta(days=2)
    return {"beneficiary_id": "B03", "reason": "Fièvre depuis deux jours et toux.",
            "when": "slot", "slot_start": start.isoformat(), **over}


def slot_start_body(w: World) -> dict:
    day, start = w.free_slot_start()
    return {"day": day, "start": start, "minutes": 15, "count": 1}


def request_body(upload_id: str, **over: Any) -> dict:
    """A reimbursement request for Inès's GP consultation two days ago, its invoice uploaded."""
    return {"beneficiary_id": "B03", "act_code": "G", "amount_cents": 3000,
            "care_date": (clock.today() - timedelta(days=2)).isoformat(),
            "upload_ids": [upload_id], **over}


class DeclinedCard:
    """The provider's signed notification that a card was declined, for a payment opened
    just before: a real notification, repeatable (the instalment stays late). The header
    signs the body made last."""

    def __init__(self) -> None:
        self.header: dict[str, str] = {}

    def body(self, w: World) -> dict:
        from tests.payments import event, signed, signing_key

        body = event(w.open_payment(), "failed")
        self.header = signed(signing_key(w.client), body)
        return body

    def headers(self) -> dict[str, str]:
        return dict(self.header)


DECLINED = DeclinedCard()


@dataclass
class Sample:
    path: Callable[[World], str]
    body: Callable[[World], Any] = field(default=lambda w: None)
    headers: Callable[[], dict] = field(default=dict)
    # "system": the management system's routes, reached signed (SigV4), never with a token.
    audience: Literal["member", "any", "advisor", "public", "system"] = "member"
    owned: bool = False  # the path names one of the owner's objects
    status: int = 200  # what the owner gets


def passkey_body() -> dict:
    """A RegistrationResponseJSON of the right shape that answers no challenge of hers."""
    return {"name": "Mon téléphone", "credential": {
        "id": "AAECAwQFBgcICQoLDA0ODw", "rawId": "AAECAwQFBgcICQoLDA0ODw", "type": "public-key",
        "response": {"clientDataJSON": "e30", "attestationObject": "oA"},
        "clientExtensionResults": {}, "authenticatorAttachment": "platform"}}


PORTABILITY = {"employment_start": "2024-03-01",
               "employment_end": (clock.today() - timedelta(days=10)).isoformat(),
               "reason": "end_of_fixed_term", "unemployment_benefit": True}

SAMPLES: dict[tuple[str, str], Sample] = {
    ("GET", "/claims"): Sample(lambda w: "/claims?limit=5"),
    ("GET", "/claims/{claim_id}"): Sample(lambda w: f"/claims/{w.claim_id()}", owned=True),
    ("GET", "/claims/acts"): Sample(lambda w: "/claims/acts?q=radio", audience="any"),
    ("GET", "/claims/counters"): Sample(lambda w: "/claims/counters"),
    ("POST", "/claims/notices/seen"): Sample(lambda w: "/claims/notices/seen",
                                             body=lambda w: {}, headers=idempotency),
    ("POST", "/claims/{claim_id}/dispute"): Sample(
        lambda w: f"/claims/{w.paid_claim_id()}/dispute", body=lambda w: {},
        headers=idempotency, owned=True, status=201),
    ("POST", "/claims/estimates"): Sample(lambda w: "/claims/estimates",
                                          lambda w: estimate_body(), idempotency, status=201),
    ("POST", "/public/estimates"): Sample(lambda w: "/public/estimates",
                                          lambda w: public_estimate_body(), audience="public"),
    ("GET", "/claims/estimates"): Sample(lambda w: "/claims/estimates?limit=5"),
    ("GET", "/claims/estimates/{estimate_id}"): Sample(
        lambda w: f"/claims/estimates/{w.estimate_id()}", owned=True),
    ("DELETE", "/claims/estimates/{estimate_id}"): Sample(
        lambda w: f"/claims/estimates/{w.estimate_id()}", owned=True, status=204),
    ("GET", "/support/uploads/limits"): Sample(lambda w: "/support/uploads/limits",
                                               audience="any"),
    ("POST", "/support/uploads"): Sample(
        lambda w: "/support/uploads", lambda w: {"filename": "f.pdf", "size": 900,
                                                 "content_type": "application/pdf"},
        status=201),
    ("POST", "/support/uploads/{upload_id}/confirm"): Sample(
        lambda w: f"/support/uploads/{w.upload_id()}/confirm", owned=True),
    ("GET", "/support/request-kinds"): Sample(lambda w: "/support/request-kinds",
                                              audience="any"),
    ("POST", "/support/requests/reimbursement"): Sample(
        lambda w: "/support/requests/reimbursement",
        lambda w: request_body(w.ready_upload_id()), idempotency, status=201),
    ("POST", "/support/requests/reimbursement/duplicates"): Sample(
        lambda w: "/support/requests/reimbursement/duplicates",
        lambda w: {k: v for k, v in request_body("x").items()
                   if k in ("beneficiary_id", "act_code", "care_date", "amount_cents")}),
    ("POST", "/support/requests/other"): Sample(
        lambda w: "/support/requests/other",
        lambda w: {"category": "other", "subject": "Une question",
                   "message": "Bonjour, une question sur mon contrat."}, idempotency, status=201),
    ("GET", "/support/requests"): Sample(lambda w: "/support/requests?limit=5"),
    ("GET", "/support/requests/{request_id}"): Sample(
        lambda w: f"/support/requests/{w.request_id()}", owned=True),
    ("POST", "/support/requests/{request_id}/read"): Sample(
        lambda w: f"/support/requests/{w.asked_request_id()}/read", owned=True, status=204),
    ("POST", "/support/requests/{request_id}/answer"): Sample(
        lambda w: f"/support/requests/{w.asked_request_id()}/answer",
        lambda w: {"message": "Voici la facture demandée."}, owned=True),
    ("GET", "/support/advisor/queue"): Sample(lambda w: "/support/advisor/queue",
                                              audience="advisor"),
    ("GET", "/support/advisor/requests/{ref}"): Sample(
        lambda w: f"/support/advisor/requests/{w.ref()}", audience="advisor"),
    ("POST", "/support/advisor/requests/{ref}/{action}"): Sample(
        lambda w: f"/support/advisor/requests/{w.ref()}/take", lambda w: {"version": 1},
        audience="advisor"),
    # « Contact & aide »: conversations, the wait, call-backs.
    ("GET", "/support/threads"): Sample(lambda w: "/support/threads?limit=5"),
    ("POST", "/support/threads"): Sample(
        lambda w: "/support/threads",
        lambda w: {"subject": "Ma carte de tiers payant",
                   "message": "Bonjour, ma carte n'est pas acceptée par ma pharmacie."},
        idempotency, status=201),
    ("GET", "/support/threads/{thread_id}"): Sample(
        lambda w: f"/support/threads/{w.thread_id()}", owned=True),
    ("POST", "/support/threads/{thread_id}/messages"): Sample(
        lambda w: f"/support/threads/{w.thread_id()}/messages",
        lambda w: {"message": "J'ajoute une précision."}, idempotency, owned=True, status=201),
    ("POST", "/support/threads/{thread_id}/read"): Sample(
        lambda w: f"/support/threads/{w.thread_id()}/read", lambda w: {"version": 1},
        owned=True, status=204),
    ("GET", "/support/threads/{thread_id}/attachments/{upload_id}"): Sample(
        lambda w: "/support/threads/{}/attachments/{}".format(*w.attached_thread()),
        owned=True),
    ("GET", "/support/wait"): Sample(lambda w: "/support/wait", audience="any"),
    ("GET", "/support/callback-slots"): Sample(lambda w: "/support/callback-slots"),
    ("GET", "/support/callbacks"): Sample(lambda w: "/support/callbacks"),
    ("POST", "/support/callbacks"): Sample(
        lambda w: "/support/callbacks", lambda w: callback_body(w.slot_id()), idempotency,
        status=201),
    ("POST", "/support/callbacks/{callback_id}/cancel"): Sample(
        lambda w: f"/support/callbacks/{w.callback_id()}/cancel", owned=True),
    ("GET", "/support/advisor/threads"): Sample(
        lambda w: "/support/advisor/threads?box=waiting", audience="advisor"),
    ("GET", "/support/advisor/threads/{ref}"): Sample(
        lambda w: f"/support/advisor/threads/{w.thread_ref()}", audience="advisor"),
    ("POST", "/support/advisor/threads/{ref}/messages"): Sample(
        lambda w: f"/support/advisor/threads/{w.thread_ref()}/messages",
        lambda w: {"version": 1, "message": "Bonjour, voici notre réponse."},
        audience="advisor"),
    ("GET", "/support/advisor/threads/{ref}/attachments/{upload_id}"): Sample(
        lambda w: "/support/advisor/threads/{}_{}/attachments/{}".format(
            w.member_id(), *w.attached_thread()), audience="advisor"),
    ("GET", "/support/advisor/duty"): Sample(lambda w: "/support/advisor/duty",
                                             audience="advisor"),
    ("PUT", "/support/advisor/duty"): Sample(lambda w: "/support/advisor/duty",
                                             lambda w: {"on_duty": True}, audience="advisor"),
    ("GET", "/support/advisor/callback-slots"): Sample(
        lambda w: "/support/advisor/callback-slots", audience="advisor"),
    ("POST", "/support/advisor/callback-slots"): Sample(
        lambda w: "/support/advisor/callback-slots", slot_start_body, audience="advisor",
        status=201),
    # « Mes services »: places (reference data, any signed-in caller) and teleconsultation.
    ("GET", "/services/places"): Sample(
        lambda w: "/services/places?postcode=69003&kind=optician", audience="any"),
    ("GET", "/services/place-kinds"): Sample(lambda w: "/services/place-kinds", audience="any"),
    ("GET", "/services/places/{place_id}"): Sample(
        lambda w: f"/services/places/{w.place_id()}", audience="any"),
    ("GET", "/services/towns"): Sample(lambda w: "/services/towns?q=lyo", audience="any"),
    ("POST", "/services/teleconsultations"): Sample(
        lambda w: "/services/teleconsultations", lambda w: teleconsultation_body(), idempotency,
        status=201),
    ("GET", "/services/teleconsultations"): Sample(lambda w: "/services/teleconsultations"),
    ("GET", "/services/teleconsultations/{consultation_id}"): Sample(
        lambda w: f"/services/teleconsultations/{w.teleconsultation_id()}", owned=True),
    ("POST", "/services/teleconsultations/{consultation_id}/cancel"): Sample(
        lambda w: f"/services/teleconsultations/{w.teleconsultation_id()}/cancel", owned=True),
    ("GET", "/claims/statements"): Sample(lambda w: "/claims/statements"),
    ("POST", "/claims/statements/exports"): Sample(
        lambda w: "/claims/statements/exports",
        lambda w: {"from": (clock.today() - timedelta(days=90)).isoformat(),
                   "to": clock.today().isoformat(), "format": "csv"}, status=201),
    ("GET", "/members/me"): Sample(lambda w: "/members/me"),
    ("GET", "/contract"): Sample(lambda w: "/contract"),
    ("GET", "/contract/guarantees"): Sample(lambda w: "/contract/guarantees"),
    ("GET", "/contract/contributions"): Sample(lambda w: "/contract/contributions"),
    ("GET", "/contract/card"): Sample(lambda w: "/contract/card"),
    ("POST", "/contract/card/exports"): Sample(lambda w: "/contract/card/exports",
                                               status=201),
    ("GET", "/public/cards/{code}"): Sample(lambda w: f"/public/cards/{w.card_code()}",
                                            audience="public"),
    ("POST", "/contract/iban-checks"): Sample(lambda w: "/contract/iban-checks",
                                              lambda w: {"iban": "FR7630006000011234567890189"},
                                              audience="any"),
    ("POST", "/contract/bank-details"): Sample(
        lambda w: "/contract/bank-details",
        lambda w: {"target": "benefit", "beneficiary_id": "B03",
                   "iban": "FR7630006000011234567890189", "holder": "Fatima Lambert",
                   "password": "Demo-Adherent-2026!", "upload_ids": [w.ready_upload_id()]},
        idempotency, status=201),
    ("POST", "/contract/beneficiaries"): Sample(
        lambda w: "/contract/beneficiaries",
        lambda w: {"first_name": "Léo", "last_name": "Lambert",
                   "birth_date": "2026-09-01", "relationship": "child",
                   "upload_ids": [w.ready_upload_id()]}, idempotency, status=201),
    ("POST", "/contract/portability/eligibility"): Sample(
        lambda w: "/contract/portability/eligibility", lambda w: PORTABILITY),
    ("POST", "/contract/portability"): Sample(
        lambda w: "/contract/portability",
        lambda w: {**PORTABILITY, "upload_ids": [w.ready_upload_id()]}, idempotency, status=201),
    # Login history and « télécharger mes données ».
    ("GET", "/members/me/logins"): Sample(lambda w: "/members/me/logins?limit=5"),
    ("POST", "/members/me/exports"): Sample(lambda w: "/members/me/exports", lambda w: {},
                                            idempotency, status=201),
    ("GET", "/members/me/exports"): Sample(lambda w: "/members/me/exports"),
    ("GET", "/members/me/exports/{export_id}/link"): Sample(
        lambda w: f"/members/me/exports/{w.ready_export_id()}/link", owned=True),
    # « Mes documents », « Mes attestations » and their public check.
    ("GET", "/documents"): Sample(lambda w: "/documents?limit=5&kind=statement"),
    ("GET", "/documents/filters"): Sample(lambda w: "/documents/filters"),
    ("GET", "/documents/{document_id}/link"): Sample(
        lambda w: f"/documents/{w.document_id()}/link", owned=True),
    ("POST", "/documents/attestations"): Sample(
        lambda w: "/documents/attestations", lambda w: {"beneficiary_id": "B03"}, idempotency,
        status=201),
    ("GET", "/documents/attestations"): Sample(lambda w: "/documents/attestations?limit=5"),
    ("POST", "/documents/attestations/{attestation_id}/revoke"): Sample(
        lambda w: f"/documents/attestations/{w.attestation()['id']}/revoke", owned=True),
    ("GET", "/public/attestations/{code}"): Sample(
        lambda w: f"/public/attestations/{w.attestation()['code']}", audience="public"),
    # Card payments of late instalments, and the provider's notification.
    ("POST", "/contract/payments"): Sample(
        lambda w: "/contract/payments",
        lambda w: dict(zip(("periods", "amount_cents"), late_periods(
            w.call("GET", "/contract/contributions")), strict=True)), idempotency, status=201),
    ("GET", "/contract/payments/{payment_id}"): Sample(
        lambda w: f"/contract/payments/{w.payment_id()}", owned=True),
    ("POST", "/public/payments/notifications"): Sample(
        lambda w: "/public/payments/notifications", DECLINED.body, DECLINED.headers,
        audience="public"),
    # « Mes appareils et sessions », an advisor's sessions, need to know, « Qui a consulté mon
    # dossier » (issue 20). Closing closes another session of the caller's, made for it.
    ("GET", "/members/me/sessions"): Sample(lambda w: "/members/me/sessions"),
    ("POST", "/members/me/sessions/{session_id}/close"): Sample(
        lambda w: f"/members/me/sessions/{w.other_session_id()}/close", owned=True,
        status=204),
    ("GET", "/members/me/accesses"): Sample(lambda w: "/members/me/accesses?limit=5"),
    ("GET", "/support/advisor/sessions"): Sample(lambda w: "/support/advisor/sessions",
                                                 audience="advisor"),
    ("POST", "/support/advisor/sessions/{session_id}/close"): Sample(
        lambda w: f"/support/advisor/sessions/{w.other_session_id(ADVISOR)}/close",
        audience="advisor", status=204),
    ("GET", "/support/advisor/members/{member_id}"): Sample(
        lambda w: f"/support/advisor/members/{w.member_id()}?reason=quality_check",
        audience="advisor"),
    # Closes the session it is called with: the tests give it a token of its own.
    ("POST", "/members/logout"): Sample(lambda w: "/members/logout", lambda w: {},
                                        status=204),
    ("POST", "/support/advisor/logout"): Sample(lambda w: "/support/advisor/logout",
                                                lambda w: {}, audience="advisor", status=204),
    # « Mes infos perso » and the account's life (members function). The confirmations take
    # a code that is never issued (000000) and the password change a wrong current password:
    # a success would change Fatima's sign-in for every later test (their own tests cover it).
    ("GET", "/members/profile"): Sample(lambda w: "/members/profile"),
    ("PUT", "/members/profile"): Sample(lambda w: "/members/profile",
                                        lambda w: w.profile_change()),
    ("POST", "/members/email-changes"): Sample(
        lambda w: "/members/email-changes",
        lambda w: {"email": f"fatima.{uuid.uuid4().hex[:8]}@example.fr",
                   "password": "Demo-Adherent-2026!"}, idempotency, status=201),
    ("POST", "/members/email-changes/confirm"): Sample(
        lambda w: "/members/email-changes/confirm", lambda w: {"code": "000000"}, status=422),
    ("POST", "/members/password"): Sample(
        lambda w: "/members/password",
        lambda w: {"current_password": "Pas-le-bon-2026!", "new_password": "Tout-Nouveau-2026!"},
        status=422),
    # Her passkeys: the options asked with a wrong password (the right one would open a
    # registration), a credential that answers no challenge, a passkey that is not hers (or no
    # more): the journeys that succeed are tests/integration/test_passkeys.py's.
    ("GET", "/members/passkeys"): Sample(lambda w: "/members/passkeys"),
    ("POST", "/members/passkeys/options"): Sample(
        lambda w: "/members/passkeys/options", lambda w: {"password": "Pas-le-bon-2026!"},
        status=422),
    ("POST", "/members/passkeys"): Sample(
        lambda w: "/members/passkeys", lambda w: passkey_body(), idempotency, status=422),
    ("POST", "/members/passkeys/{credential_id}/delete"): Sample(
        lambda w: f"/members/passkeys/{uuid.uuid4().hex}/delete",
        lambda w: {"password": "Demo-Adherent-2026!"}, status=404),
    ("GET", "/support/advisor/passkeys"): Sample(lambda w: "/support/advisor/passkeys",
                                                 audience="advisor"),
    ("POST", "/support/advisor/passkeys/options"): Sample(
        lambda w: "/support/advisor/passkeys/options",
        lambda w: {"password": "Pas-le-bon-2026!"}, audience="advisor", status=422),
    ("POST", "/support/advisor/passkeys"): Sample(
        lambda w: "/support/advisor/passkeys", lambda w: passkey_body(), idempotency,
        audience="advisor", status=422),
    ("POST", "/support/advisor/passkeys/{credential_id}/delete"): Sample(
        lambda w: f"/support/advisor/passkeys/{uuid.uuid4().hex}/delete",
        lambda w: {"password": "Demo-Conseiller-2026!"}, audience="advisor", status=404),
    ("POST", "/public/accounts"): Sample(
        lambda w: "/public/accounts",
        lambda w: {"member_number": "2025000318", "birth_date": "1979-02-17",
                   "email": "claire.d@example.fr"}, idempotency, audience="public", status=202),
    ("POST", "/public/accounts/confirm"): Sample(
        lambda w: "/public/accounts/confirm",
        lambda w: {"member_number": "2025000318", "code": "000000",
                   "password": "Un-Mot-De-Passe-2026"}, audience="public", status=422),
    ("POST", "/public/password-resets"): Sample(
        lambda w: "/public/password-resets", lambda w: {"email": OWNER}, idempotency,
        audience="public", status=202),
    # Procurations: the owner invites Marc. The accepting samples give a wrong code (a code
    # is sent by email only: test_procurations.py accepts for real).
    ("POST", "/members/procurations"): Sample(
        lambda w: "/members/procurations", lambda w: w.procuration_body(), idempotency,
        status=201),
    ("GET", "/members/procurations"): Sample(lambda w: "/members/procurations"),
    ("POST", "/members/procurations/accept"): Sample(
        lambda w: "/members/procurations/accept",
        lambda w: {"invitation": w.procuration_id(), "code": "ZZZZZZZZ"}, status=422),
    ("POST", "/members/procurations/{procuration_id}/end"): Sample(
        lambda w: f"/members/procurations/{w.procuration_id()}/end", owned=True, status=204),
    ("POST", "/public/procurations/accounts"): Sample(
        lambda w: "/public/procurations/accounts",
        lambda w: {"invitation": w.procuration_id(), "code": "ZZZZZZZZ", "email": TRUSTED,
                   "password": "Un-Mot-De-Passe-2026"}, audience="public", status=422),
    # The management system pays one of Fatima's cares (a new payment each time).
    ("POST", "/system/fhir"): Sample(lambda w: "/system/fhir", lambda w: payment_resource(),
                                     audience="system"),
    # The card in the phone's wallet; Apple's pass web service (its devices have no account:
    # a call naming a pass without its `ApplePass` token is 401, whatever else it carries).
    ("GET", "/contract/card/wallet"): Sample(lambda w: "/contract/card/wallet"),
    ("POST", "/contract/card/wallet/apple"): Sample(
        lambda w: "/contract/card/wallet/apple", lambda w: {}, idempotency, status=201),
    ("POST", "/contract/card/wallet/google"): Sample(
        lambda w: "/contract/card/wallet/google", lambda w: {}, idempotency, status=201),
    ("POST", "/public/wallet/apple/v1/devices/{device}/registrations/{pass_type}/{serial}"):
        Sample(lambda w: f"{WALLET}/devices/sampledevice01/registrations/{PASS_TYPE}/"
                         f"{w.apple_pass()['serialNumber']}",
               lambda w: {"pushToken": "ab" * 32}, audience="public", status=401),
    ("DELETE", "/public/wallet/apple/v1/devices/{device}/registrations/{pass_type}/{serial}"):
        Sample(lambda w: f"{WALLET}/devices/sampledevice01/registrations/{PASS_TYPE}/"
                         f"{w.apple_pass()['serialNumber']}", audience="public", status=401),
    ("GET", "/public/wallet/apple/v1/devices/{device}/registrations/{pass_type}"): Sample(
        lambda w: f"{WALLET}/devices/sampledevice01/registrations/{PASS_TYPE}"
                  "?passesUpdatedSince=1", audience="public", status=204),
    ("GET", "/public/wallet/apple/v1/passes/{pass_type}/{serial}"): Sample(
        lambda w: f"{WALLET}/passes/{PASS_TYPE}/{w.apple_pass()['serialNumber']}",
        audience="public", status=401),
    ("POST", "/public/wallet/apple/v1/log"): Sample(
        lambda w: f"{WALLET}/log", lambda w: {"logs": ["a device's line"]}, audience="public"),
    # Trop-perçus (issue 21).
    ("GET", "/claims/overpayments"): Sample(lambda w: "/claims/overpayments"),
    ("GET", "/claims/overpayments/{overpayment_id}"): Sample(
        lambda w: f"/claims/overpayments/{w.overpayment_id()}", owned=True),
    ("POST", "/claims/overpayments/{overpayment_id}/instalments"): Sample(
        lambda w: f"/claims/overpayments/{w.overpayment_id()}/instalments",
        lambda w: {"months": 3, "message": "Trois mois, merci."}, idempotency, owned=True,
        status=201),
    ("POST", "/claims/overpayments/{overpayment_id}/contest"): Sample(
        lambda w: f"/claims/overpayments/{w.overpayment_id()}/contest",
        lambda w: {"message": "Je conteste : la Sécurité sociale a confirmé sa part."},
        idempotency, owned=True, status=201),
    ("POST", "/public/password-resets/confirm"): Sample(
        lambda w: "/public/password-resets/confirm",
        lambda w: {"email": OWNER, "code": "000000", "new_password": "Un-Mot-De-Passe-2026"},
        audience="public", status=422),
    # « Résilier mon contrat »: Fatima's contract is her employer's (collective), so the owner
    # is refused with the explanation (403); Paul's own termination is tested in
    # tests/integration/test_termination.py.
    ("GET", "/contract/termination"): Sample(lambda w: "/contract/termination"),
    ("POST", "/contract/termination"): Sample(
        lambda w: "/contract/termination", lambda w: {"reason": "infra_annual"}, idempotency,
        status=403),
}
