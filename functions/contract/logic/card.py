"""The tiers payant card (carte mutualiste) as a health professional expects it: the
harmonised inter-AMC block (AMC number, convention type, routing criterion, member number,
validity period), the « R » of a contrat responsable, the holders with their birth dates and
regime, the tiers payant phone line, and a QR code to a public page that says whether the card
is valid today, for whom (initials and birth years), and nothing else."""

from __future__ import annotations

import base64
import io
import secrets
from datetime import date, datetime, time, timedelta

from contract import repository
from contract.models import CardCheckOut, CardHolder, CardOut, FileLink
from domain.documents import DocumentItem, document_for, store
from domain.membership import MemberContext, load_file, member_context
from domain.situation import REGIME_LABELS
from shared import clock
from shared.dates import PARIS, fr_date
from shared.errors import Conflict, NotFound
from shared.identity import Caller
from shared.ids import iso_paris
from shared.observability import count
from shared.settings import get_settings

CHECK_PATH = "verifier-carte/"
URL_SECONDS = 120


def validity(ctx: MemberContext, on: date) -> tuple[date, date]:
    """The calendar year, within the contract's dates."""
    contract = ctx.active_contract()
    start = max(date(on.year, 1, 1), contract.start_date)
    end = date(on.year, 12, 31)
    if contract.end_date:
        end = min(end, contract.end_date)
    return start, end


def _code(ctx: MemberContext, start: date, end: date) -> str:
    """The card's check code for this validity, made once (a new one each year)."""
    card = next((i for i in load_file(ctx.member_id) if i["sk"] == "FILE#CARD"), None)
    if card and card["valid_from"] == start.isoformat() and card["valid_to"] == end.isoformat():
        return card["token"]
    token = secrets.token_urlsafe(18)
    try:
        repository.new_card_code(ctx.member_id, token, start.isoformat(), end.isoformat(),
                                 card["token"] if card else None)
    except Conflict:  # made at the same time by another request: take that one
        from domain.membership import forget

        forget()
        again = next((i for i in load_file(ctx.member_id) if i["sk"] == "FILE#CARD"), None)
        if again is None:
            raise
        return again["token"]
    return token


def qr_data_url(text: str) -> str:
    import segno

    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", scale=4, border=2, dark="#000000",
                                     light="#ffffff", xmldecl=False)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def card(caller: Caller) -> CardOut:
    ctx = member_context(caller.member)
    start, end = validity(ctx, ctx.on)
    return card_of(ctx, _code(ctx, start, end))


def card_of(ctx: MemberContext, code: str) -> CardOut:
    """The card of the member of `ctx` whose check code is `code` (pure)."""
    settings = get_settings()
    start, end = validity(ctx, ctx.on)
    check_url = f"{settings.site_url.rstrip('/')}/{CHECK_PATH}?c={code}"
    return CardOut(
        brand_name=settings.brand_name, amc_number=settings.amc_number,
        convention_type=settings.card_convention, routing=settings.card_routing,
        member_number=ctx.member_id, valid_from=start, valid_to=end,
        responsable=ctx.active_contract().responsable,
        holders=[CardHolder(name=b.name, rank=b.rank, birth_date=b.birth_date,
                            regime_label=REGIME_LABELS[b.situation.regime])
                 for b in ctx.beneficiaries.values()],
        tiers_payant_phone=settings.tiers_payant_phone, check_url=check_url,
        qr_data_url=qr_data_url(check_url))


def render_pdf(c: CardOut) -> bytes:
    from shared import pdf as kit

    doc = kit.new_document(kit.Letterhead(
        brand_name=c.brand_name, title="Carte mutualiste",
        subtitle=f"Valable du {fr_date(c.valid_from)} au {fr_date(c.valid_to)}",
        issued_on=clock.today(),
        legal_line="Carte de tiers payant : présentez-la avec votre carte Vitale"))
    kit.info_box(doc, [
        f"N° AMC : {c.amc_number}    Type de convention : {c.convention_type}    "
        f"Critère de routage : {c.routing}",
        f"N° d'adhérent : {c.member_number}",
        f"Période de validité : du {fr_date(c.valid_from)} au {fr_date(c.valid_to)}",
        "Contrat responsable (R)" if c.responsable else "Contrat non responsable",
    ])
    table = kit.Table(doc, [kit.Column("Rang", 14), kit.Column("Bénéficiaire", 70),
                            kit.Column("Date de naissance", 34), kit.Column("Régime", 72)])
    table.section("Bénéficiaires", [[h.rank, h.name, fr_date(h.birth_date), h.regime_label]
                                    for h in c.holders])
    kit.paragraph(doc, f"Professionnels de santé : tiers payant au {c.tiers_payant_phone}. "
                       f"Vérifiez la validité de la carte en scannant le code ci-dessous.")
    import segno

    qr = io.BytesIO()
    segno.make(c.check_url, error="m").save(qr, kind="png", scale=6, border=2)
    qr.seek(0)
    doc.image(qr, x=doc.l_margin, w=40, h=40)
    return kit.output(doc)


def card_document(member_id: str, c: CardOut, size: int) -> DocumentItem:
    """The card as one of her documents: one per card (its check code and holders), dated the
    first day of its validity; downloading it again refreshes the file."""
    holders = ",".join(f"{h.rank}:{h.name}:{h.birth_date}" for h in c.holders)
    # Dated the start of its validity (midnight in Paris), never « now »: the same card is the
    # same document, even when it is first downloaded at 00:10 on 1 January.
    at = datetime.combine(min(c.valid_from, clock.today()), time(0, 0), PARIS)
    return document_for(member_id, kind="card", title=f"Carte mutualiste {c.valid_from.year}",
                        size=size, source=c.check_url.rsplit("c=", 1)[-1], at=at,
                        identity=f"card|{c.check_url}|{holders}")


def card_pdf(caller: Caller) -> FileLink:
    c = card(caller)
    data = render_pdf(c)
    document = card_document(caller.member, c, len(data))
    store(caller.member, document, data, stable=True)
    filename = f"carte-mutualiste-{c.valid_from.year}.pdf"
    url = repository.file_link(document.s3_key, URL_SECONDS, filename, "application/pdf")
    count("CardExported")
    return FileLink(url=url, filename=filename, expires_at=iso_paris(
        clock.now() + timedelta(seconds=URL_SECONDS)))


def check(token: str) -> CardCheckOut:
    """The public check: nothing beyond validity, initials and birth years."""
    found = repository.card_check(token)
    if found is None:
        raise NotFound("Cette carte est inconnue : vérifiez le code ou appelez la ligne tiers "
                       "payant de la mutuelle.", code="unknown_card")
    today = clock.today()
    valid_from = date.fromisoformat(found["valid_from"])
    valid_to = date.fromisoformat(found["valid_to"])
    ctx = member_context(found["member_id"])
    holders = [f"{b.first_name[:1]}. {b.last_name[:1]}. ({b.birth_date.year})"
               for b in ctx.beneficiaries.values()]
    valid = not found.get("withdrawn") and valid_from <= today <= valid_to \
        and ctx.contract is not None
    if found.get("withdrawn"):
        message = "Cette carte a été remplacée par une carte plus récente."
    elif valid:
        message = f"Carte valable aujourd'hui, jusqu'au {fr_date(valid_to)}."
    elif today > valid_to:
        message = f"Carte expirée depuis le {fr_date(valid_to)}."
    else:
        message = "Cette carte n'est pas valable aujourd'hui."
    return CardCheckOut(valid=valid, checked_on=today, valid_from=valid_from,
                        valid_to=valid_to, holders=holders if valid else [], message=message)
