"""Paying late instalments by card, through a hosted checkout (contract.providers).

1. She picks late instalments; the total is recomputed here from her schedule and must be
   the one her page showed. A checkout session is opened with the provider, then the payment
   is stored `pending` with a hold on each instalment, in one transaction (a session nobody
   references expires on its own: nothing is owed without our record).
2. The provider's signed notification ends it: `succeeded` pays the instalments, files the
   receipt and writes the audit entry, the event for the management system and the email
   (the outbox) in one transaction; `failed` or
   `canceled` changes only the payment and releases its holds, so she can try again.
3. Her browser comes back to the situation page, which reads the payment (never the
   browser's word) until the notification has arrived.

Exactly once: a notification acts only on the status it read (a conditional write), and an
instalment is paid only if still unpaid; a repeat finds the payment settled and changes
nothing. Money that arrives for instalments paid meanwhile is not lost: the payment becomes
`refund_due`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Literal

from contract import repository
from contract.logic.contributions import instalment
from contract.logic.receipt import Receipt, ReceiptLine, render
from contract.models import (
    FileLink,
    NotificationAck,
    PaymentIn,
    PaymentItem,
    PaymentOut,
    PaymentPeriod,
    PaymentStatus,
)
from contract.providers import get_provider, payment_settings
from contract.providers.base import CheckoutRequest, InvalidNotification, Notification, Outcome
from domain import audit, events, overpayments
from domain.documents import file_key, new_document, put_operation
from domain.membership import PROFILE_SK, Profile
from domain.notifications import email as email_operation
from shared import idempotency
from shared.dates import PARIS, fr_date, fr_month
from shared.errors import BadRequest, Conflict, NotFound, Unprocessable
from shared.identity import Caller
from shared.ids import iso_paris, new_id
from shared.money import format_eur
from shared.observability import count, logger
from shared.settings import get_settings

OPERATION = "card_payment"
# A hold outlives its session a little, so a notification that comes late still finds it.
HOLD_MARGIN_SECONDS = 120
RESUME_MIN_SECONDS = 120  # too close to its end, a session is not handed out again
RECEIPT_LINK_SECONDS = 300
View = Literal["pending", "succeeded", "failed", "canceled", "expired", "refund_due"]
LABELS: dict[str, str] = {
    "pending": "En attente de confirmation", "succeeded": "Paiement accepté",
    "failed": "Paiement refusé", "canceled": "Paiement abandonné",
    "expired": "Paiement non terminé", "refund_due": "Paiement en double"}
NOT_FOUND = "Ce paiement est introuvable."


# ----------------------------------------------------------------------------- state machine
def transition(current: PaymentStatus, outcome: Outcome) -> PaymentStatus | None:
    """The state a verified notification moves a payment to; None: it changes nothing.

    `succeeded` and `refund_due` are final: a repeated or late notification changes nothing.
    A success counts even after a decline or an abandon (notifications may arrive out of
    order, and money taken must be accounted for); a decline or an abandon only ends a
    payment still pending.
    """
    if current in ("succeeded", "refund_due"):
        return None
    if outcome == "succeeded":
        return "succeeded"
    return outcome if current == "pending" else None


def seen_as(payment: PaymentItem, now: datetime) -> View:
    """What she is told: a pending payment whose session has ended was never made."""
    if payment.status == "pending" and payment.expires_at < now.timestamp():
        return "expired"
    return payment.status


# ----------------------------------------------------------------------------- words
def _months(periods: list[str]) -> list[str]:
    return [fr_month(int(p[:4]), int(p[5:7])) for p in sorted(periods)]


def _joined(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} et {words[-1]}"


def instalments_phrase(periods: list[str]) -> str:
    """« l'échéance de mai 2026 », « les échéances d'avril 2026 et de mai 2026 »."""
    months = _months(periods)
    of = [f"d'{m}" if m[0] in "aeiouyéè" else f"de {m}" for m in months]
    return f"l'échéance {of[0]}" if len(of) == 1 else f"les échéances {_joined(of)}"


def what_is_paid(payment: PaymentItem) -> str:
    """« l'échéance de mai 2026 », or « le trop-perçu TP-2026-0001 »."""
    if payment.overpayment_id:
        return f"le trop-perçu {payment.overpayment_id}"
    return instalments_phrase(payment.periods)


def message(payment: PaymentItem, view: View) -> str:
    what = what_is_paid(payment)
    many = len(payment.periods) > 1
    stays = "restent à régler" if many else "reste à régler"
    if payment.overpayment_id:
        stays = "reste à rembourser"
    amount = format_eur(payment.amount_cents)
    if view == "pending":
        return ("Nous attendons la confirmation du paiement par notre prestataire de "
                "paiement : cela ne prend en général que quelques secondes.")
    if view == "succeeded" and payment.overpayment_id:
        return (f"Paiement de {amount} accepté : {what} est remboursé. Votre reçu est "
                "disponible dans vos documents.")
    if view == "succeeded":
        paid = "sont réglées" if many else "est réglée"
        return (f"Paiement de {amount} accepté : {what} {paid}. Votre reçu est disponible "
                "dans vos documents.")
    if view == "failed":
        why = ("La vérification demandée par votre banque n'a pas abouti"
               if payment.reason == "authentication_failed" else "Le paiement a été refusé")
        return (f"{why} : aucune somme n'a été prélevée et {what} {stays}. Vous pouvez "
                "réessayer, avec la même carte ou une autre.")
    if view == "canceled":
        return (f"Vous avez abandonné le paiement : aucune somme n'a été prélevée et {what} "
                f"{stays}. Vous pouvez le refaire quand vous le souhaitez.")
    if view == "expired":
        return (f"Le paiement n'a pas été terminé : aucune somme n'a été prélevée et {what} "
                f"{stays}. Vous pouvez le refaire.")
    already = "étaient déjà réglées" if many else "était déjà réglée"
    if payment.overpayment_id:
        already = "était déjà remboursé ou annulé"
    return (f"Ce paiement de {amount} est arrivé alors que {what} {already} : nous vous le "
            "remboursons sur votre carte, "
            "sous 10 jours ouvrés.")


def view(payment: PaymentItem, now: datetime, *, with_receipt: bool = False) -> PaymentOut:
    status = seen_as(payment, now)
    receipt = None
    if with_receipt and status == "succeeded" and payment.receipt_key:
        filename = f"recu-paiement-{payment.id}.pdf"
        receipt = FileLink(
            url=repository.receipt_link(payment.receipt_key, filename, RECEIPT_LINK_SECONDS),
            filename=filename,
            expires_at=iso_paris(now + timedelta(seconds=RECEIPT_LINK_SECONDS)))
    return PaymentOut(
        id=payment.id, status=status, status_label=LABELS[status],
        message=message(payment, status), amount_cents=payment.amount_cents,
        periods=[PaymentPeriod(id=p, label=label)
                 for p, label in zip(sorted(payment.periods), _months(payment.periods))],
        created_at=payment.created_at,
        expires_at=iso_paris(datetime.fromtimestamp(payment.expires_at, tz=PARIS)),
        checkout_url=payment.checkout_url if status == "pending" else None,
        receipt=receipt, overpayment_id=payment.overpayment_id)


# ----------------------------------------------------------------------------- start
def start(caller: Caller, body: PaymentIn, key: str | None, now: datetime) -> PaymentOut:
    if body.overpayment_id:
        return start_overpayment(caller, body, key, now)
    member = caller.member
    today = now.astimezone(PARIS).date()
    epoch = int(now.timestamp())
    items = {i["period"]: i for i in repository.contributions(member, today.year - 1,
                                                               today.year + 1)}
    periods = sorted(body.periods)
    chosen = []
    for period in periods:
        item = items.get(period)
        if item is None:
            raise Unprocessable(f"Votre échéancier n'a pas d'échéance {period} : rechargez la "
                                "page et choisissez parmi les échéances affichées.",
                                code="unknown_instalment", fields={"periods": "échéance inconnue"})
        row = instalment(item, today)
        if row.status == "paid":
            raise Conflict(f"L'échéance de {row.label} est déjà réglée (le "
                           f"{fr_date(row.paid_on)}). Rechargez la page pour voir ce qui reste "
                           "à payer.", code="already_paid")
        if row.status == "due":
            raise Unprocessable(f"L'échéance de {row.label} n'est pas encore à régler : elle "
                                f"sera prélevée à partir du {fr_date(row.due_date)}.",
                                code="not_due", fields={"periods": "échéance pas encore due"})
        chosen.append(item)
    amount = sum(int(i["amount_cents"]) for i in chosen)
    if amount != body.amount_cents:
        raise Conflict(f"Le montant à régler a changé : {format_eur(amount)} et non "
                       f"{format_eur(body.amount_cents)}. Rechargez la page pour voir ce qui "
                       "reste à payer.", code="amount_changed")

    holds = {i["pending_payment"]: int(i["pending_until"]) for i in chosen
             if i.get("pending_payment") and int(i.get("pending_until", 0)) >= epoch}
    if holds:
        if len(holds) == 1:
            held = repository.payment(next(iter(holds)))
            if held and held["member_id"] == member and held["status"] == "pending" \
                    and sorted(held["periods"]) == periods \
                    and int(held["expires_at"]) > epoch + RESUME_MIN_SECONDS:
                return view(PaymentItem.model_validate(held), now)  # the same checkout, again
        until = datetime.fromtimestamp(max(holds.values()) + 60, tz=PARIS)
        raise Conflict(f"Un paiement par carte est déjà en cours pour "
                       f"{instalments_phrase(periods)}. Terminez-le sur la page de paiement, "
                       f"ou réessayez après {until:%H}h{until:%M}.", code="payment_in_progress")

    months = _months(periods)
    return _open(caller, key, now, amount=amount, periods=periods,
                 description=f"Cotisation{'s' if len(months) > 1 else ''} : {_joined(months)}",
                 return_path=lambda pid: f"/espace/contrat/situation/?paiement={pid}",
                 changed=Conflict("Ces échéances ont changé pendant votre demande. Rechargez la "
                                  "page pour voir ce qui reste à payer.",
                                  code="instalments_changed"),
                 metric="CardPaymentStarted")


def _open(caller: Caller, key: str | None, now: datetime, *, amount: int, periods: list[str],
          description: str, return_path: Callable[[str], str], changed: Conflict, metric: str,
          overpayment_id: str | None = None) -> PaymentOut:
    """Open the provider's checkout, then store the payment with its holds in one transaction;
    a transaction refused by a double submit answers the first payment, else `changed`."""
    settings = payment_settings()
    site = get_settings().site_url.rstrip("/")
    payment_id, created = new_id("P", now)
    expires = now + timedelta(minutes=settings.session_minutes)
    provider = get_provider()
    checkout = provider.create_checkout(CheckoutRequest(
        amount_cents=amount, currency="EUR", reference=payment_id, description=description,
        return_url=f"{site}{return_path(payment_id)}",
        notification_url=f"{site}/api/public/payments/notifications", expires_at=expires))
    payment = PaymentItem(
        id=payment_id, member_id=caller.member, periods=periods, overpayment_id=overpayment_id,
        amount_cents=amount, status="pending", provider=provider.name,
        session_id=checkout.session_id, checkout_url=checkout.url,
        expires_at=int(checkout.expires_at.timestamp()), created_at=created)
    try:
        repository.open_payment(payment.model_dump(mode="json", exclude_none=True), periods,
                                hold_until=payment.expires_at + HOLD_MARGIN_SECONDS,
                                now=int(now.timestamp()),
                                extra=idempotency.marker(caller.member_pk, OPERATION, key,
                                                         payment_id))
    except repository.Refused:
        first = idempotency.created_before(caller.member_pk, OPERATION, key)
        earlier = repository.payment(first) if first else None
        if earlier is None:
            raise changed from None
        return view(PaymentItem.model_validate(earlier), now)
    count(metric)
    return view(payment, now)


def start_overpayment(caller: Caller, body: PaymentIn, key: str | None,
                      now: datetime) -> PaymentOut:
    """Paying a trop-perçu back by card: the whole remaining amount, once (docs/payments.md)."""
    member = caller.member
    epoch = int(now.timestamp())
    overpayment_id = body.overpayment_id or ""
    raw = repository.overpayment(member, overpayment_id)
    found = overpayments.of([raw] if raw else [])
    if not found:
        raise NotFound("Ce trop-perçu est introuvable.", code="not_found")
    item = found[0]
    ok, code, why = overpayments.payable(item, epoch)
    if not ok:
        raise Conflict(why or "", code=code or "not_payable")
    if body.amount_cents != item.amount_cents:
        raise Unprocessable(
            f"Le remboursement par carte se fait en une fois, pour la totalité : "
            f"{format_eur(item.amount_cents)} (et non {format_eur(body.amount_cents)}). Pour "
            "payer en plusieurs fois, demandez un échéancier.", code="partial_amount",
            fields={"amount_cents": "montant total attendu"})
    if item.pending_payment and (item.pending_until or 0) >= epoch:
        held = repository.payment(item.pending_payment)
        if held and held["member_id"] == member and held["status"] == "pending" \
                and int(held["expires_at"]) > epoch + RESUME_MIN_SECONDS:
            return view(PaymentItem.model_validate(held), now)  # the same checkout, again
        until = datetime.fromtimestamp(int(item.pending_until or epoch) + 60, tz=PARIS)
        raise Conflict(f"Un paiement par carte est déjà en cours pour ce trop-perçu. "
                       f"Terminez-le sur la page de paiement, ou réessayez après "
                       f"{until:%H}h{until:%M}.", code="payment_in_progress")

    return _open(caller, key, now, amount=item.amount_cents, periods=[],
                 overpayment_id=item.id,
                 description=f"Remboursement du trop-perçu {item.reference}",
                 return_path=lambda pid: (f"/espace/remboursements/trop-percu/?id={item.id}"
                                          f"&paiement={pid}"),
                 changed=Conflict("Ce trop-perçu a changé pendant votre demande (un autre "
                                  "paiement, une contestation). Rechargez la page.",
                                  code="overpayment_changed"),
                 metric="OverpaymentCardPaymentStarted")


def get_payment(caller: Caller, payment_id: str, now: datetime) -> PaymentOut:
    item = repository.payment(payment_id)
    if item is None or item.get("member_id") != caller.member:
        raise NotFound(NOT_FOUND, code="not_found")
    return view(PaymentItem.model_validate(item), now, with_receipt=True)


# ----------------------------------------------------------------------------- notification
ACK = NotificationAck(received=True)


def notified(headers: Mapping[str, str], body: bytes, now: datetime) -> NotificationAck:
    """The provider's server-to-server notification. Refused (4xx, nothing changed) unless
    signed with our key, fresh, about a payment of ours, for its exact amount."""
    provider = get_provider()
    try:
        note = provider.verify_notification(headers, body, now)
    except InvalidNotification as bad:
        count("PaymentNotificationRefused")
        raise BadRequest(str(bad), code=bad.code) from None
    item = repository.payment(note.reference)
    if item is None or item.get("session_id") != note.session_id:
        count("PaymentNotificationRefused")
        raise NotFound("Paiement inconnu.", code="unknown_payment")
    payment = PaymentItem.model_validate(item)
    if (note.amount_cents, note.currency) != (payment.amount_cents, payment.currency):
        logger.warning("notification amount differs from the payment's",
                       extra={"payment": payment.id, "event": note.event_id})
        count("PaymentNotificationRefused")
        raise Unprocessable("Le montant notifié ne correspond pas à ce paiement.",
                            code="amount_mismatch")
    target = transition(payment.status, note.outcome)
    if target is None:
        count("PaymentNotificationRepeated")
        return ACK
    rows = repository.payment_file(payment.member_id, payment.periods,
                                   profile=target == "succeeded",
                                   overpayment_id=payment.overpayment_id)
    profile = next((Profile.model_validate(r) for r in rows if r["sk"] == PROFILE_SK), None)
    instalments = {r["period"]: r for r in rows if r["sk"].startswith("CONTRIB#")}
    mine = [p for p, r in instalments.items() if r.get("pending_payment") == payment.id]
    owed = overpayments.of(rows)
    held = bool(owed) and owed[0].pending_payment == payment.id
    try:
        if target != "succeeded":
            repository.close_payment(item, read_status=payment.status, changes={
                "status": target, "settled_at": iso_paris(now), "event_id": note.event_id,
                **({"reason": note.reason} if note.reason else {})}, release=mine,
                release_overpayment=held)
            count("CardPaymentFailed" if target == "failed" else "CardPaymentCanceled")
            return ACK
        if profile is None:
            raise NotFound("Paiement inconnu.", code="unknown_payment")
        if payment.overpayment_id:
            # Money for a trop-perçu already paid back, cancelled or contested meanwhile is
            # refunded, never kept.
            if not owed or not overpayments.payable(owed[0], 0)[0]:
                _refund_due(payment, item, note, now, profile, [], release_overpayment=held)
            else:
                _settle(payment, item, note, now, profile, {}, overpaid=owed[0])
        elif len(instalments) < len(payment.periods) or any(
                r.get("paid_on") for r in instalments.values()):
            _refund_due(payment, item, note, now, profile, mine)
        else:
            _settle(payment, item, note, now, profile, instalments)
    except repository.Refused as refused:
        if 0 in refused.failed:  # another delivery of it got there first
            count("PaymentNotificationRepeated")
            return ACK
        raise Conflict("Les échéances de ce paiement ont changé pendant son traitement : "
                       "renvoyez la notification.", code="instalments_changed") from None
    return ACK


def _settle(payment: PaymentItem, item: dict, note: Notification, now: datetime,
            profile: Profile, instalments: dict[str, dict],
            overpaid: overpayments.OverpaymentItem | None = None) -> None:
    settings = get_settings()
    today = now.astimezone(PARIS).date()
    if overpaid is not None:
        care = f", soins du {fr_date(overpaid.care_date)}" if overpaid.care_date else ""
        lines: tuple[ReceiptLine, ...] = (ReceiptLine(
            label=f"Trop-perçu {overpaid.reference}{care}", due_date=overpaid.due_date,
            amount_cents=overpaid.amount_cents),)
    else:
        lines = tuple(ReceiptLine(label=row.label, due_date=row.due_date,
                                  amount_cents=row.amount_cents)
                      for row in (instalment(instalments[p], today) for p in payment.periods))
    pdf = render(Receipt(
        brand_name=settings.brand_name, brand_address=settings.brand_address,
        member_name=f"{profile.first_name} {profile.last_name}",
        member_number=payment.member_id, payment_id=payment.id, paid_at=now,
        lines=lines, overpayment=overpaid is not None))
    document_id, _ = new_id("D", now)
    document = new_document(
        member_id=payment.member_id, kind="receipt",
        title=(f"Reçu de remboursement du trop-perçu {overpaid.reference}" if overpaid
               else f"Reçu de paiement du {fr_date(today)}"),
        s3_key=file_key(payment.member_id, "receipt", document_id), size=len(pdf),
        source=payment.id, document_id=document_id)
    repository.settle_payment(item, read_status=payment.status, changes={
        "status": "succeeded", "settled_at": iso_paris(now), "event_id": note.event_id,
        "receipt_id": document.id, "receipt_key": document.s3_key},
        paid_on=today.isoformat(), receipt=put_operation(payment.member_id, document),
        pdf=pdf, extra=[audit.entry(
            payment.member_id, who=f"provider:{payment.provider}", role="system",
            action="overpayment_card_payment" if overpaid else "contribution_card_payment",
            target=payment.id,
            detail=f"{format_eur(payment.amount_cents)} : " + (
                f"trop-perçu {overpaid.reference}" if overpaid
                else _joined(_months(payment.periods)))),
            # The management system keeps the accounts: it learns of the money.
            events.OverpaymentRepaid(
                overpayment_id=overpaid.id, payment_id=payment.id,
                amount_cents=payment.amount_cents, paid_at=iso_paris(now),
            ).operation(payment.member_id) if overpaid else
            events.ContributionPaymentReceived(
                payment_id=payment.id, periods=sorted(payment.periods),
                amount_cents=payment.amount_cents, paid_at=iso_paris(now),
            ).operation(payment.member_id),
            _tell(profile.email, payment, "succeeded")])
    count("OverpaymentRepaid" if overpaid else "CardPaymentSucceeded")


def _refund_due(payment: PaymentItem, item: dict, note: Notification, now: datetime,
                profile: Profile, mine: list[str], release_overpayment: bool = False) -> None:
    """Paid for instalments that were paid meanwhile (another payment, a direct debit): the
    money is accounted for and flagged for a refund; the instalments are left as they are."""
    repository.close_payment(item, read_status=payment.status, changes={
        "status": "refund_due", "settled_at": iso_paris(now), "event_id": note.event_id},
        release=mine, release_overpayment=release_overpayment, extra=[audit.entry(
            payment.member_id, who=f"provider:{payment.provider}", role="system",
            action=("overpayment" if payment.overpayment_id else "contribution")
            + "_card_payment_refund_due", target=payment.id,
            detail=f"{format_eur(payment.amount_cents)} reçus pour "
                   + ("un trop-perçu déjà remboursé ou annulé" if payment.overpayment_id
                      else "des échéances déjà réglées")),
            _tell(profile.email, payment, "refund_due")])
    logger.warning("payment received for instalments already paid: refund due",
                   extra={"payment": payment.id})
    count("CardPaymentRefundDue")


def _tell(email: str, payment: PaymentItem, status: str) -> dict:
    """The email that follows a payment (written with it: the outbox): its amount and
    instalments (so she can recognise it, or tell us it was not her), never anything about
    the card."""
    site = get_settings().site_url.rstrip("/")
    amount = format_eur(payment.amount_cents)
    what = what_is_paid(payment)
    if status == "succeeded":
        subject = "Nous avons bien reçu votre paiement"
        lead = (f"Nous avons bien reçu votre paiement par carte de {amount} pour {what} "
                f"(référence {payment.id}). Votre reçu est disponible dans votre espace "
                "adhérent, avec vos documents.")
    else:
        subject = "Votre paiement fait double emploi : nous vous le remboursons"
        already = "étaient déjà réglées" if len(payment.periods) > 1 else "était déjà réglée"
        if payment.overpayment_id:
            already = "était déjà remboursé ou annulé"
        lead = (f"Votre paiement par carte de {amount} (référence {payment.id}) est arrivé "
                f"alors que {what} {already}. Nous vous le remboursons sur la carte "
                "utilisée, sous 10 jours ouvrés.")
    body = "\n".join([
        "Bonjour,", "", lead, "",
        "Si vous n'êtes pas à l'origine de ce paiement, contactez-nous sans attendre depuis "
        "votre espace adhérent, rubrique « Contact & aide ».", "",
        (f"Vos remboursements : {site}/espace/remboursements/" if payment.overpayment_id
         else f"Votre situation : {site}/espace/contrat/situation/"), "",
        "Ce message ne contient aucune information sur votre carte. Nous ne vous demanderons "
        "jamais vos coordonnées bancaires ni votre mot de passe par courriel.", "",
        get_settings().brand_name])
    return email_operation(payment.member_id, email, subject, body, reference=payment.id)
