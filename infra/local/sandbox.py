"""The sandbox payment provider, as the local stack serves it: a hosted checkout page of a
fictional provider, clearly a test environment, with test cards (success, decline, a 3-D
Secure challenge), a signed server-to-server notification, and the browser sent back.

/sandbox/paiement/<session>?d=…&s=…      the checkout page (the terms signed by the merchant:
                                         amount, reference, return and notification URLs)
/sandbox/paiement/<session>/3ds?d=…&s=…  the bank's confirmation page (3-D Secure challenge)
/sandbox/paiement/sandbox.css            its stylesheet

Pages are plain HTML forms, no script, served with the site's security headers. Card numbers
are checked and dropped here: never stored, never logged, never sent to the merchant. A
session is paid at most once; its outcome is posted to the notification URL, signed
(contract.providers.signing), and re-sent a few times while the merchant does not answer 2xx.
Not part of the template: it stands for a third party, locally only.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from contract.providers import signing
from contract.providers.sandbox import SessionTerms, decode_terms
from shared import clock

PREFIX = "/sandbox/paiement"
STYLESHEET = Path(__file__).with_name("sandbox.css")
MAX_FORM = 16 * 1024
RETRY_DELAYS = (2, 5, 15)  # seconds before each new delivery attempt
TEST_CARDS = {  # number -> what the sandbox does with it
    "4242424242424242": "success",
    "4000000000000002": "decline",
    "4000000000003220": "challenge",
}
CARD_LABELS = (("4242 4242 4242 4242", "Paiement accepté"),
               ("4000 0000 0000 0002", "Paiement refusé par la banque"),
               ("4000 0000 0000 3220", "Confirmation demandée par la banque (3-D Secure)"))
Answer = tuple[int, dict[str, str], bytes]


def function_environment(base_url: str) -> dict[str, str]:
    """What the contract function needs to use this sandbox on the local stack's address."""
    return {"PAYMENT_CHECKOUT_URL": f"{base_url}{PREFIX}"}


def luhn_ok(number: str) -> bool:
    total = 0
    for i, digit in enumerate(reversed(number)):
        d = int(digit) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def euros(cents: int) -> str:
    whole, rest = divmod(cents, 100)
    return f"{whole:,}".replace(",", "\u202f") + f",{rest:02d}\u00a0€"


@dataclass
class Session:
    terms: SessionTerms
    status: str = "open"  # open, challenge, succeeded, failed, canceled


class Sandbox:
    def __init__(self, key: Callable[[], str]) -> None:
        self._key = key
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()
        self.deliveries: list[dict[str, Any]] = []  # what was posted, for tests and the curious

    # ------------------------------------------------------------------ entry point
    def handle(self, method: str, path: str, query: str, body: bytes) -> Answer:
        if path == f"{PREFIX}/sandbox.css" and method in ("GET", "HEAD"):
            return 200, {"Content-Type": "text/css; charset=utf-8",
                         "Cache-Control": "max-age=300"}, STYLESHEET.read_bytes()
        match = re.fullmatch(rf"{PREFIX}/(cs_test_[0-9a-f]{{24}})(/3ds)?", path)
        if not match:
            return self._page(404, "Page introuvable", "<p>Cette page de paiement n'existe "
                              "pas.</p>")
        if method == "POST":
            if len(body) > MAX_FORM:
                return self._page(413, "Formulaire trop long", "<p>Formulaire refusé.</p>")
            fields = {k: v[0] for k, v in urllib.parse.parse_qs(body.decode(
                "utf-8", "replace")).items()}
        elif method in ("GET", "HEAD"):
            fields = {k: v[0] for k, v in urllib.parse.parse_qs(query).items()}
        else:
            return 405, {"Allow": "GET, POST", "Content-Type": "text/plain"}, b""
        session = self._session(match.group(1), fields.get("d", ""), fields.get("s", ""))
        if session is None:
            return self._page(400, "Lien de paiement invalide", "<p>Ce lien de paiement est "
                              "incomplet ou a été modifié : retournez sur le site du marchand "
                              "et recommencez.</p>")
        terms = session.terms
        if session.status in ("succeeded", "failed", "canceled"):
            return self._finished(session)
        if clock.epoch() > terms.expires:
            return self._page(410, "Page de paiement expirée", f"""
<p>Le délai pour payer est dépassé : aucun paiement n'a été fait.</p>
<p><a class="sb-link" href="{escape(terms.return_url)}">Retourner sur le site de
{escape(terms.merchant)}</a></p>""", terms)
        challenge = bool(match.group(2))
        if method != "POST":
            if challenge and session.status == "challenge":
                return self._challenge(session)
            return self._checkout(session)
        if challenge:
            if session.status != "challenge":
                return self._checkout(session)
            if fields.get("decision") == "confirm":
                return self._end(session, "succeeded")
            return self._end(session, "failed", "authentication_failed")
        if fields.get("action") == "cancel":
            return self._end(session, "canceled")
        return self._pay(session, fields)

    # ------------------------------------------------------------------ sessions
    def _session(self, session_id: str, payload: str, signature: str) -> Session | None:
        if not payload or not signature or len(payload) > 4000:
            return None
        if not signing.checkout_signature_is_valid(self._key(), payload, signature):
            return None
        try:
            terms = decode_terms(payload)
        except ValueError:
            return None
        if terms.id != session_id:
            return None
        with self._lock:
            return self._sessions.setdefault(session_id, Session(terms))

    def _pay(self, session: Session, fields: dict[str, str]) -> Answer:
        number = re.sub(r"[\s-]", "", fields.get("number", ""))
        errors: dict[str, str] = {}
        if not number:
            errors["number"] = "Saisissez le numéro de la carte."
        elif not number.isdigit() or not 12 <= len(number) <= 19 or not luhn_ok(number):
            errors["number"] = "Ce numéro de carte n'est pas valide : vérifiez-le."
        elif number not in TEST_CARDS:
            errors["number"] = ("Environnement de test : seules les cartes de test listées "
                                "sur cette page sont acceptées.")
        expiry = re.fullmatch(r"\s*(\d{2})\s*/\s*(\d{2})\s*", fields.get("expiry", ""))
        if not expiry or not 1 <= int(expiry.group(1)) <= 12:
            errors["expiry"] = "Saisissez la date d'expiration sous la forme MM/AA."
        else:
            month, year = int(expiry.group(1)), 2000 + int(expiry.group(2))
            today = clock.today()
            if (year, month) < (today.year, today.month):
                errors["expiry"] = "Cette carte est expirée."
        if not re.fullmatch(r"\d{3,4}", fields.get("cvc", "").strip()):
            errors["cvc"] = "Saisissez le cryptogramme : les 3 chiffres au dos de la carte."
        if errors:
            return self._checkout(session, errors, fields)
        outcome = TEST_CARDS[number]
        if outcome == "challenge":
            with self._lock:
                if session.status == "open":
                    session.status = "challenge"
            return self._see_other(self._url(session, "/3ds"))
        if outcome == "decline":
            return self._end(session, "failed", "card_declined")
        return self._end(session, "succeeded")

    def _end(self, session: Session, outcome: str, reason: str | None = None) -> Answer:
        with self._lock:  # a session ends once, whatever is clicked twice
            if session.status not in ("open", "challenge"):
                return self._finished(session)
            session.status = outcome
        self._notify(session.terms, outcome, reason)
        if outcome == "failed":
            return self._finished(session)
        return self._see_other(session.terms.return_url)

    # ------------------------------------------------------------------ notification
    def _notify(self, terms: SessionTerms, outcome: str, reason: str | None) -> None:
        data: dict[str, Any] = {"session": terms.id, "reference": terms.reference,
                                "amount_cents": terms.amount_cents, "currency": terms.currency}
        if reason:
            data["reason"] = reason
        event = {"id": f"evt_test_{secrets.token_hex(12)}",
                 "type": f"checkout.session.{outcome}", "created": clock.epoch(),
                 "data": data}
        body = json.dumps(event, separators=(",", ":")).encode()
        if not self._deliver(terms.notification_url, body):
            threading.Thread(target=self._retry, args=(terms.notification_url, body),
                             daemon=True).start()

    def _deliver(self, url: str, body: bytes) -> bool:
        """One attempt, signed at the moment it is sent (as providers do for each retry)."""
        header = signing.sign_notification(self._key(), clock.epoch(), body)
        request = urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": "application/json", "Sandbox-Signature": header,
            "User-Agent": "sandbox-paiement/1"})
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
                status = answer.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except (urllib.error.URLError, TimeoutError):
            status = 0
        self.deliveries.append({"url": url, "body": json.loads(body), "status": status})
        return 200 <= status < 300

    def _retry(self, url: str, body: bytes) -> None:
        for delay in RETRY_DELAYS:
            time.sleep(delay)
            if self._deliver(url, body):
                return

    # ------------------------------------------------------------------ pages
    def _url(self, session: Session, suffix: str = "") -> str:
        payload = _encoded(session.terms)
        query = urllib.parse.urlencode({"d": payload,
                                        "s": signing.sign_checkout(self._key(), payload)})
        return f"{PREFIX}/{session.terms.id}{suffix}?{query}"

    def _hidden(self, session: Session) -> str:
        payload = _encoded(session.terms)
        return (f'<input type="hidden" name="d" value="{escape(payload)}">'
                f'<input type="hidden" name="s" value="'
                f'{escape(signing.sign_checkout(self._key(), payload))}">')

    def _checkout(self, session: Session, errors: dict[str, str] | None = None,
                  typed: dict[str, str] | None = None) -> Answer:
        terms, errors, typed = session.terms, errors or {}, typed or {}
        labels = {"number": "Numéro de carte", "expiry": "Date d'expiration (MM/AA)",
                  "cvc": "Cryptogramme visuel"}
        summary = ""
        if errors:
            items = "".join(f'<li><a href="#{name}">{escape(labels[name])} : '
                            f"{escape(text)}</a></li>" for name, text in errors.items())
            summary = (f'<div class="sb-errors" role="alert" tabindex="-1" id="erreurs">'
                       f"<h2>Le paiement n'a pas été envoyé</h2><ul>{items}</ul></div>")

        def field(name: str, autocomplete: str, hint: str, width: str, value: str = "") -> str:
            error = errors.get(name)
            described = f"{name}-aide" + (f" {name}-erreur" if error else "")
            invalid = ' aria-invalid="true"' if error else ""
            return f"""<div class="sb-field sb-field--{width}">
  <label for="{name}">{escape(labels[name])}</label>
  <p class="sb-hint" id="{name}-aide">{escape(hint)}</p>
  {f'<p class="sb-error" id="{name}-erreur">{escape(error)}</p>' if error else ""}
  <input id="{name}" name="{name}" type="text" inputmode="numeric" autocomplete="{autocomplete}"
         value="{escape(value)}" aria-describedby="{described}"{invalid} required>
</div>"""

        cards = "".join(f"<tr><td><code>{n}</code></td><td>{escape(label)}</td></tr>"
                        for n, label in CARD_LABELS)
        body = f"""{summary}
<section class="sb-order" aria-labelledby="commande">
  <h2 id="commande" class="sb-visually-hidden">Votre commande</h2>
  <p class="sb-merchant">{escape(terms.merchant)}</p>
  <p class="sb-amount" data-testid="sandbox-amount">{euros(terms.amount_cents)}</p>
  <dl class="sb-facts">
    <div><dt>Objet</dt><dd>{escape(terms.description)}</dd></div>
    <div><dt>Référence</dt><dd>{escape(terms.reference)}</dd></div>
  </dl>
</section>
<form class="sb-form" method="post" action="{PREFIX}/{terms.id}" novalidate>
  {self._hidden(session)}
  <h2>Payer par carte bancaire</h2>
  {field("number", "cc-number", "16 chiffres, sans espace ou avec", "full",
         typed.get("number", ""))}
  <div class="sb-row">
    {field("expiry", "cc-exp", "Par exemple 12/29", "half", typed.get("expiry", ""))}
    {field("cvc", "cc-csc", "3 chiffres au dos de la carte", "half")}
  </div>
  <button class="sb-button" type="submit" name="action" value="pay">
    Payer {euros(terms.amount_cents)}</button>
  <button class="sb-button sb-button--quiet" type="submit" name="action" value="cancel"
          formnovalidate>Annuler et retourner sur le site de {escape(terms.merchant)}</button>
</form>
<section class="sb-cards" aria-labelledby="cartes">
  <h2 id="cartes">Cartes de test</h2>
  <p>Date d'expiration : toute date future. Cryptogramme : 3 chiffres au choix.</p>
  <table><caption class="sb-visually-hidden">Cartes de test et leur résultat</caption>
    <thead><tr><th scope="col">Numéro</th><th scope="col">Résultat</th></tr></thead>
    <tbody>{cards}</tbody></table>
</section>"""
        return self._page(422 if errors else 200, "Paiement sécurisé", body, terms)

    def _challenge(self, session: Session) -> Answer:
        terms = session.terms
        body = f"""<section class="sb-bank" aria-labelledby="banque">
  <p class="sb-bank__name">Banque de test — authentification</p>
  <h2 id="banque">Confirmez ce paiement</h2>
  <p>Votre banque vous demande de confirmer le paiement de
    <strong>{euros(terms.amount_cents)}</strong> à <strong>{escape(terms.merchant)}</strong>.</p>
  <p class="sb-hint">Dans la réalité, cette étape se fait dans l'application de votre banque
    ou avec un code reçu par SMS.</p>
  <form method="post" action="{PREFIX}/{terms.id}/3ds" class="sb-choices">
    {self._hidden(session)}
    <button class="sb-button" type="submit" name="decision" value="confirm">
      Confirmer le paiement</button>
    <button class="sb-button sb-button--quiet" type="submit" name="decision" value="refuse">
      Refuser</button>
  </form>
</section>"""
        return self._page(200, "Confirmation de paiement", body, terms)

    def _finished(self, session: Session) -> Answer:
        terms = session.terms
        back = (f'<p><a class="sb-button sb-button--link" href="{escape(terms.return_url)}">'
                f"Retourner sur le site de {escape(terms.merchant)}</a></p>")
        if session.status == "failed":
            return self._page(200, "Paiement refusé", f"""
<div class="sb-result sb-result--refused" role="status">
  <h2>Votre banque a refusé le paiement</h2>
  <p>Aucune somme n'a été débitée. Vous pouvez retourner sur le site du marchand pour
  réessayer.</p>
</div>{back}""", terms)
        said = {"succeeded": "Ce paiement a déjà été effectué.",
                "canceled": "Ce paiement a été annulé : aucune somme n'a été débitée."}
        return self._page(200, "Paiement terminé", f"<p>{said[session.status]}</p>{back}",
                          terms)

    def _page(self, status: int, title: str, content: str,
              terms: SessionTerms | None = None) -> Answer:
        merchant = f" — {escape(terms.merchant)}" if terms else ""
        html = f"""<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
<title>{escape(title)}{merchant} – Sandbox Paiement (test)</title>
<link rel="stylesheet" href="{PREFIX}/sandbox.css">
</head>
<body>
<div class="sb-test" role="note"><strong>Environnement de test</strong> : aucune carte réelle,
aucun débit. Utilisez uniquement les cartes de test.</div>
<header class="sb-header"><p class="sb-logo"><span aria-hidden="true">◆</span> Sandbox
Paiement</p><p class="sb-secure">Paiement sécurisé</p></header>
<main class="sb-main">
<h1>{escape(title)}</h1>
{content}
</main>
<footer class="sb-footer"><p>Sandbox Paiement est un prestataire fictif de la pile locale :
il imite une page de paiement hébergée pour les démonstrations et les tests.</p></footer>
</body>
</html>
"""
        return status, {"Content-Type": "text/html; charset=utf-8"}, html.encode()

    @staticmethod
    def _see_other(location: str) -> Answer:
        return 303, {"Location": location, "Content-Type": "text/plain"}, b""


def _encoded(terms: SessionTerms) -> str:
    from contract.providers.sandbox import encode_terms

    return encode_terms(terms)
