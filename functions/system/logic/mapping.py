"""FHIR R4B resources from the management system -> the portal's stored items (the profile of
docs/integration.md, names in `domain.fhir.profile`). Pure: no read, no write.

Each resource is checked against its fhir.resources model first (schema), then read from its
plain JSON (numbers kept as `Decimal`, so euros become cents exactly)."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError

from domain.fhir import profile as fp
from domain.membership import Beneficiary, Portability, PostalAddress, contract_sk
from domain.membership import beneficiary_sk as benef_sk
from domain.reimbursement import CLAIM_ID, ClaimItem, Practitioner, claim_to_item
from domain.situation import Situation
from domain.split import Line
from engine import Act, get_act, past_care_of_payment
from engine.errors import EngineError, UnknownActError

TYPES = ("Patient", "Coverage", "ExplanationOfBenefit", "Invoice")
SUBSCRIBER_BENEF = "B01"  # the adhérent's own Patient (Coverage.subscriber names it)
LINE_LABELS = {"real_cost": "Dépense réelle", "base": "Base de remboursement",
               "social_security": "Remboursement Sécurité sociale",
               "deductibles": "Participations et franchises",
               "mutual": "Remboursement mutuelle", "out_of_pocket": "Reste à votre charge"}
FIGURE_LINES = {"real_cost_cents": "real_cost", "base_cents": "base",
                "social_security_cents": "social_security",
                "deductibles_cents": "deductibles", "mutual_cents": "mutual",
                "out_of_pocket_cents": "out_of_pocket"}
CATEGORY_FIGURES = {v: k for k, v in fp.FIGURES.items()}
PARTICIPATION = (fp.ADJUDICATION_FR, "participation-forfaitaire")
FRANCHISE = (fp.ADJUDICATION_FR, "franchise")
EOB_STATUS = {"complete": "paid", "queued": "processing", "partial": "processing",
              "error": "rejected"}
CONTRIBUTION_STATUS = {"issued", "balanced", "cancelled"}
KEY_PART = re.compile(r"[0-9A-Za-z]{1,20}")  # what may go into a key (MEMBER#<id>, BENEF#<id>)
OVERPAYMENT_ID = re.compile(r"[0-9A-Za-z-]{1,40}")  # OVERPAY#<id>


class Refused(Exception):
    """The resource cannot be applied; `reason` (French) goes to the report."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


# ----------------------------------------------------------------------------- reading
def parse(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError) as exc:
        raise Refused("ligne illisible : ce n'est pas du JSON complet (ligne coupée ou "
                      "mal formée)") from exc
    if not isinstance(data, dict):
        raise Refused("ligne illisible : une ressource FHIR (objet JSON) est attendue")
    return data


def _models() -> dict[str, Any]:
    from fhir.resources.R4B.coverage import Coverage
    from fhir.resources.R4B.explanationofbenefit import ExplanationOfBenefit
    from fhir.resources.R4B.invoice import Invoice
    from fhir.resources.R4B.patient import Patient

    return {"Patient": Patient, "Coverage": Coverage, "ExplanationOfBenefit": ExplanationOfBenefit,
            "Invoice": Invoice}


_MODELS: dict[str, Any] = {}


def validate(data: dict[str, Any]) -> str:
    """The resource type, once the resource is valid FHIR R4B."""
    kind = data.get("resourceType")
    if kind not in TYPES:
        raise Refused(f"type de ressource inconnu : « {kind} » (attendus : "
                      f"{', '.join(TYPES)})" if kind else "resourceType manquant")
    if not _MODELS:
        _MODELS.update(_models())
    try:
        _MODELS[kind].model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or kind
        raise Refused(f"ressource non conforme à FHIR R4B : {where} : "
                      f"{first.get('msg', 'valeur invalide')}") from exc
    if not data.get("id"):
        raise Refused("ressource sans id")
    return kind


def version_of(data: dict[str, Any]) -> int:
    raw = (data.get("meta") or {}).get("versionId")
    if not isinstance(raw, str) or not raw.isdigit() or int(raw) < 1:
        raise Refused("meta.versionId manquant ou invalide (entier positif attendu)")
    return int(raw)


def digest(data: dict[str, Any]) -> str:
    """The content's fingerprint: canonical JSON (keys sorted, no spaces)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def cents(money: Any, what: str) -> int:
    if not isinstance(money, dict) or money.get("value") is None:
        raise Refused(f"montant manquant : {what}")
    if money.get("currency", "EUR") != "EUR":
        raise Refused(f"devise non prise en charge pour {what} : euros attendus")
    try:
        value = Decimal(str(money["value"])) * 100
    except InvalidOperation as exc:
        raise Refused(f"montant invalide : {what}") from exc
    if value != value.to_integral_value():
        raise Refused(f"montant au-delà du centime : {what}")
    return int(value)


def _ext(node: dict[str, Any], name: str) -> list[dict[str, Any]]:
    url = fp.ext(name)
    return [e for e in node.get("extension") or [] if e.get("url") == url]


def _ext_value(node: dict[str, Any], name: str, kind: str) -> Any:
    found = _ext(node, name)
    return found[0].get(f"value{kind}") if found else None


def _sub(ext: dict[str, Any], name: str, kind: str) -> Any:
    for e in ext.get("extension") or []:
        if e.get("url") == name:
            return e.get(f"value{kind}")
    return None


def _identifier(data: dict[str, Any], system: str) -> str | None:
    return next((i.get("value") for i in data.get("identifier") or []
                 if i.get("system") == system), None)


def _patient_ref(reference: Any, what: str) -> tuple[str, str]:
    ref = (reference or {}).get("reference") or ""
    match = re.fullmatch(rf"Patient/({KEY_PART.pattern})-({KEY_PART.pattern})", ref)
    if not match:
        raise Refused(f"{what} : référence Patient/<adhérent>-<bénéficiaire> attendue")
    return match.group(1), match.group(2)


def _day(value: Any, what: str) -> date:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise Refused(f"date invalide : {what}") from exc


# ----------------------------------------------------------------------------- mapped
@dataclass
class Write:
    """The attributes one resource owns on one item (other resources own the rest)."""

    sk: str
    fields: dict[str, Any]
    requires: tuple[str, ...] = ()  # attributes the item must already have (its Patient)
    defaults: dict[str, Any] = field(default_factory=dict)  # set only where still absent


@dataclass
class Mapped:
    kind: str
    id: str
    member_id: str
    writes: list[Write]
    subscriber: bool = False  # the adhérent's own Patient: creates her file
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def source(self) -> str:
        return f"src_{self.kind.lower()}"


def patient(data: dict[str, Any]) -> Mapped:
    member_id = _identifier(data, fp.MEMBER_NUMBER)
    benef_id = _identifier(data, fp.BENEFICIARY_ID)
    if not member_id or not benef_id:
        raise Refused("identifiants manquants : numéro d'adhérent et identifiant du "
                      "bénéficiaire attendus")
    if not (KEY_PART.fullmatch(member_id) and KEY_PART.fullmatch(benef_id)):
        raise Refused("identifiant invalide : lettres et chiffres seulement (20 au plus)")
    if data["id"] != fp.patient_id(member_id, benef_id):
        raise Refused(f"id incohérent : « {fp.patient_id(member_id, benef_id)} » attendu")
    names = data.get("name") or [{}]
    family, given = names[0].get("family"), (names[0].get("given") or [None])[0]
    if not family or not given or not data.get("birthDate"):
        raise Refused("nom, prénom et date de naissance obligatoires")
    person = {"id": benef_id, "first_name": given, "last_name": family,
              "birth_date": _day(data["birthDate"], "birthDate").isoformat(),
              "nir": _identifier(data, fp.NIR), "type": "beneficiary"}
    subscriber = benef_id == SUBSCRIBER_BENEF
    # Until her Coverage arrives (usually the next line), the person reads as a beneficiary
    # with no situation: the member's file stays readable whatever the order.
    writes = [Write(benef_sk(benef_id), person, defaults={
        "rank": "01" if subscriber else "99",
        "relationship": "member" if subscriber else "other"})]
    if subscriber:
        telecom = data.get("telecom") or []
        email = next((t.get("value") for t in telecom if t.get("system") == "email"), None)
        phone = next((t.get("value") for t in telecom if t.get("system") == "phone"), None)
        if not email:
            raise Refused("adresse e-mail de l'adhérent manquante (telecom email)")
        address = None
        if data.get("address"):
            a = data["address"][0]
            lines = a.get("line") or []
            try:
                address = PostalAddress(line1=lines[0], line2=lines[1] if len(lines) > 1 else None,
                                        postcode=a["postalCode"], city=a["city"],
                                        country=a.get("country") or "France")
            except (IndexError, KeyError, ValidationError) as exc:
                raise Refused("adresse incomplète : ligne, code postal et ville attendus") from exc
        writes.append(Write("FILE#PROFILE", {
            "member_id": member_id, "first_name": given, "last_name": family, "email": email,
            "address": address.model_dump(mode="json", exclude_none=True) if address else None,
            "phone": phone, "type": "profile"}))
    return Mapped("Patient", data["id"], member_id, writes, subscriber=subscriber)


def _period(value: Any, what: str) -> dict[str, str | None]:
    if not isinstance(value, dict) or not value.get("start"):
        raise Refused(f"période sans début : {what}")
    return {"start": _day(value["start"], what).isoformat(),
            "end": _day(value["end"], what).isoformat() if value.get("end") else None}


def situation(data: dict[str, Any]) -> dict[str, Any]:
    ald = [{"label": _sub(e, "label", "String"), **_period(_sub(e, "period", "Period"), "ald")}
           for e in _ext(data, "ald")]
    pregnancies = [{k: v for k, v in {
        "start_date": _sub(e, "start", "Date"),
        "expected_birth_date": _sub(e, "expected-birth", "Date"),
        "birth_date": _sub(e, "birth", "Date")}.items() if v}
        for e in _ext(data, "pregnancy")]
    try:
        found = Situation.model_validate({
            "regime": _ext_value(data, "regime", "Code") or "general",
            "ald": ald,
            "c2s": [_period(e.get("valuePeriod"), "c2s") for e in _ext(data, "c2s")],
            "ame": [_period(e.get("valuePeriod"), "ame") for e in _ext(data, "ame")],
            "pregnancies": pregnancies})
    except ValidationError as exc:
        raise Refused("situation invalide (régime, ALD, C2S, AME ou grossesse)") from exc
    return found.model_dump(mode="json")


def coverage(data: dict[str, Any]) -> Mapped:
    member_id, benef_id = _patient_ref(data.get("beneficiary"), "beneficiary")
    sub_member, sub_benef = _patient_ref(data.get("subscriber"), "subscriber")
    if data.get("subscriberId") and data["subscriberId"] != member_id or sub_member != member_id:
        raise Refused("le bénéficiaire et l'adhérent ne portent pas le même numéro d'adhérent")
    contract_id = _ext_value(data, "contract-id", "String")
    if not contract_id or not KEY_PART.fullmatch(contract_id):
        raise Refused("extension contract-id manquante ou invalide (lettres et chiffres)")
    if data["id"] != fp.coverage_id(contract_id, member_id, benef_id):
        raise Refused(f"id incohérent : « {fp.coverage_id(contract_id, member_id, benef_id)} » "
                      "attendu")
    coding = ((data.get("relationship") or {}).get("coding") or [{}])[0]
    relationship = fp.FROM_RELATIONSHIP.get(coding.get("code"))
    if relationship is None:
        raise Refused("lien avec l'adhérent inconnu (self, spouse, child ou other attendu)")
    period = _period(data.get("period"), "period")
    if data.get("status") == "cancelled" and not period["end"]:
        raise Refused("contrat résilié sans date de fin (period.end)")
    noemie = _ext(data, "noemie")
    benefit = _ext(data, "benefit-account")
    fields: dict[str, Any] = {
        "id": benef_id, "rank": data.get("dependent") or "01", "relationship": relationship,
        "situation": situation(data), "type": "beneficiary",
        "covered_until": period["end"],  # a dependent leaving the contract (kept for readers)
        "benefit_iban": _sub(benefit[0], "iban", "String") if benefit else None,
        "benefit_holder": _sub(benefit[0], "holder", "String") if benefit else None,
        "noemie": {k: v for k, v in {"active": bool(_sub(noemie[0], "active", "Boolean")),
                                     "since": _sub(noemie[0], "since", "Date")}.items()
                   if v is not None} if noemie else None}
    writes = [Write(benef_sk(benef_id), fields, requires=("src_patient",))]
    subscriber = benef_id == sub_benef
    if subscriber:
        classes = {(c.get("type", {}).get("coding") or [{}])[0].get("code"): c
                   for c in data.get("class") or []}
        plan = classes.get("plan")
        if not plan:
            raise Refused("formule manquante (class plan)")
        group = classes.get("group")
        contribution = _ext(data, "contribution-account")
        portability = _ext_value(data, "portability", "Period")
        number = next((i.get("value") for i in data.get("identifier") or []
                       if i.get("system") == fp.CONTRACT_NUMBER), None)
        responsable = _ext_value(data, "responsable", "Boolean")
        try:
            held = Portability.model_validate(_period(portability, "portability")) \
                if portability else None
        except ValidationError as exc:
            raise Refused("portabilité sans date de fin") from exc
        writes.append(Write(contract_sk(contract_id), {
            "id": contract_id, "formula_id": plan.get("value"),
            "formula_label": plan.get("name") or plan.get("value"),
            "start_date": period["start"], "end_date": period["end"], "number": number,
            "collective": group is not None,
            "employer": group.get("name") if group else None,
            "responsable": True if responsable is None else bool(responsable),
            "contribution_iban": _sub(contribution[0], "iban", "String") if contribution else None,
            "contribution_holder": (_sub(contribution[0], "holder", "String")
                                    if contribution else None),
            "portability": held.model_dump(mode="json") if held else None,
            "type": "contract"}))
    Beneficiary.model_validate({**fields, "first_name": "x", "last_name": "x",
                                "birth_date": "2000-01-01"})  # same checks as the readers
    return Mapped("Coverage", data["id"], member_id, writes,
                  extra={"contract_id": contract_id, "end_date": period["end"]})


def invoice(data: dict[str, Any]) -> Mapped:
    kind = ((data.get("type") or {}).get("coding") or [{}])[0]
    if kind.get("system") == fp.INVOICE_TYPE and kind.get("code") == fp.OVERPAYMENT:
        return overpayment(data)
    if kind.get("code") and kind.get("code") != fp.CONTRIBUTION:
        raise Refused(f"type de facture inconnu : « {kind.get('code')} » (overpayment ou "
                      "contribution attendu)")
    member_id, _ = _patient_ref(data.get("subject"), "subject")
    status = data.get("status")
    if status not in CONTRIBUTION_STATUS:
        raise Refused("statut de cotisation inconnu (issued, balanced ou cancelled attendu)")
    period = _ext_value(data, "period", "String") or str(data["id"]).removeprefix(f"{member_id}-")
    if not re.fullmatch(r"\d{4}-\d{2}", period) or data["id"] != fp.invoice_id(member_id, period):
        raise Refused("période de cotisation invalide (id <adhérent>-AAAA-MM attendu)")
    if not data.get("date"):
        raise Refused("date d'échéance manquante (date)")
    paid_on = _ext_value(data, "paid-on", "Date")
    if status == "balanced" and not paid_on:
        raise Refused("cotisation payée sans date de paiement (extension paid-on)")
    fields = {"period": period, "due_date": _day(data["date"], "date").isoformat(),
              "amount_cents": 0 if status == "cancelled" else cents(data.get("totalGross"),
                                                                    "totalGross"),
              "cancelled": True if status == "cancelled" else None, "type": "contribution"}
    if paid_on:  # never removed: a card payment made in the portal stays until confirmed
        fields["paid_on"] = _day(paid_on, "paid-on").isoformat()
    return Mapped("Invoice", data["id"], member_id, [Write(f"CONTRIB#{period}", fields)])


def claim_id_of(eob_id: str, care_date: date) -> str:
    """The portal claim id of an ExplanationOfBenefit: its own id when it is one, else derived
    from it (so the same EOB always lands on the same décompte)."""
    return eob_id if CLAIM_ID.match(eob_id) else (
        f"C{care_date:%Y%m%d}-{hashlib.sha256(eob_id.encode()).hexdigest()[:8]}")


def overpayment(data: dict[str, Any]) -> Mapped:
    """An Invoice of type overpayment: what the mutuelle paid too much on a reimbursement and
    asks back (docs/integration.md, « Invoice (overpayment) »)."""
    member_id, benef_id = _patient_ref(data.get("subject"), "subject")
    recipient = data.get("recipient")
    if recipient and _patient_ref(recipient, "recipient")[0] != member_id:
        raise Refused("le bénéficiaire et l'adhérent ne portent pas le même numéro d'adhérent")
    overpayment_id = str(data["id"])
    if not OVERPAYMENT_ID.fullmatch(overpayment_id):
        raise Refused("id de trop-perçu invalide : lettres, chiffres et tirets (40 au plus)")
    status = data.get("status")
    if status not in CONTRIBUTION_STATUS:
        raise Refused("statut de trop-perçu inconnu (issued, balanced ou cancelled attendu)")
    corrects = (_ext_value(data, "corrects", "Reference") or {}).get("reference") or ""
    match = re.fullmatch(r"ExplanationOfBenefit/([A-Za-z0-9.-]{1,64})", corrects)
    if not match:
        raise Refused("remboursement corrigé manquant : extension corrects "
                      "(ExplanationOfBenefit/<id>) attendue")
    care = _ext_value(data, "care-date", "Date")
    if not care:
        raise Refused("date des soins du remboursement corrigé manquante (extension care-date)")
    care_date = _day(care, "care-date")
    due = _ext_value(data, "due-date", "Date")
    if not due:
        raise Refused("date limite de remboursement manquante (extension due-date)")
    notes = [n.get("text") for n in data.get("note") or [] if n.get("text")]
    if not notes:
        raise Refused("motif du trop-perçu manquant (note.text)")
    amount = cents(data.get("totalGross"), "totalGross")
    if amount <= 0:
        raise Refused("montant du trop-perçu nul ou négatif (totalGross)")
    paid_on = _ext_value(data, "paid-on", "Date")
    if status == "balanced" and not paid_on:
        raise Refused("trop-perçu remboursé sans date de paiement (extension paid-on)")
    act = {}
    for line in data.get("lineItem") or []:
        coding = ((line.get("chargeItemCodeableConcept") or {}).get("coding") or [{}])[0]
        if coding.get("system") == fp.ACT and coding.get("code"):
            act = {"act_code": coding["code"], "act_label": coding.get("display")}
            break
    fields = {
        "id": overpayment_id, "type": "overpayment",
        "reference": _identifier(data, fp.OVERPAYMENT_REFERENCE) or overpayment_id,
        "beneficiary_id": benef_id,
        "claim_id": claim_id_of(match.group(1), care_date), "care_date": care_date.isoformat(),
        "act_code": act.get("act_code"), "act_label": act.get("act_label"),
        "amount_cents": amount, "reason": "\n".join(notes)[:2000],
        "issued_on": _day(data["date"], "date").isoformat() if data.get("date") else None,
        "due_date": _day(due, "due-date").isoformat(), "gestion_status": status,
        "balanced_on": _day(paid_on, "paid-on").isoformat() if paid_on else None}
    return Mapped("Invoice", overpayment_id, member_id,
                  [Write(f"OVERPAY#{overpayment_id}", fields)])


# ----------------------------------------------------------------------------- reimbursements
def act_of(code: str, on: date) -> Act:
    """The act as the portal names and files it. A payment is the management system's fact:
    a care outside the dates of the portal's rules (older history, a code since replaced)
    still reads with the act's latest label and category."""
    try:
        return get_act(code, on)
    except UnknownActError as exc:
        raise Refused(f"acte inconnu du portail : « {code} »") from exc
    except EngineError:
        return get_act(code)

@dataclass
class Eob:
    """An ExplanationOfBenefit read, before what the portal already knows is added."""

    id: str
    claim_id: str
    member_id: str
    beneficiary_id: str
    contract_id: str | None
    care_date: date
    status: str
    act_code: str
    act_label: str
    quantity: int
    figures: dict[str, int]
    participation_cents: int
    franchise_cents: int
    lines: list[Line]
    practitioner: Practitioner | None
    care_pathway: bool
    situations: list[str]
    payment_date: date | None
    paid_cents: int | None
    bank_account_masked: str | None
    request_id: str | None
    notice: bool


def explanation_of_benefit(data: dict[str, Any]) -> Eob:
    member_id, benef_id = _patient_ref(data.get("patient"), "patient")
    status = EOB_STATUS.get(data.get("outcome"))
    if status is None:
        raise Refused("issue du remboursement inconnue (complete, queued ou error attendu)")
    items = data.get("item") or []
    if len(items) != 1:
        raise Refused("un seul acte (item) attendu par ExplanationOfBenefit")
    item = items[0]
    coding = ((item.get("productOrService") or {}).get("coding") or [{}])[0]
    act_code = coding.get("code")
    if not act_code or not item.get("servicedDate"):
        raise Refused("acte (productOrService) ou date des soins (servicedDate) manquant")
    care_date = _day(item["servicedDate"], "servicedDate")
    act = act_of(act_code, care_date)
    figures: dict[str, int] = {}
    explanations: dict[str, tuple[str | None, str | None]] = {}
    participation = franchise = 0
    for adj in item.get("adjudication") or []:
        cat = ((adj.get("category") or {}).get("coding") or [{}])[0]
        key = (cat.get("system"), cat.get("code"))
        amount = cents(adj.get("amount"), f"adjudication {cat.get('code')}")
        if key == PARTICIPATION:
            participation += amount
            continue
        if key == FRANCHISE:
            franchise += amount
            continue
        figure = CATEGORY_FIGURES.get(key)
        if figure is None:
            continue  # a category the portal does not show
        if figure in figures:
            raise Refused(f"montant en double : {cat.get('code')}")
        figures[figure] = amount
        explanations[figure] = (_ext_value(adj, "line-label", "String"),
                                (adj.get("reason") or {}).get("text"))
    missing = [f for f in FIGURE_LINES if f not in figures]
    if missing:
        raise Refused("montants manquants : " + ", ".join(
            fp.FIGURES[f][1] for f in missing))
    f = figures
    f.setdefault("ticket_moderateur_cents",
                 max(0, f["base_cents"] - f["social_security_cents"] - f["deductibles_cents"]))
    if (any(v < 0 for v in f.values())
            or f["real_cost_cents"] != f["social_security_cents"] + f["mutual_cents"]
            + f["out_of_pocket_cents"]
            or f["deductibles_cents"] > f["out_of_pocket_cents"]
            or (participation or franchise)
            and participation + franchise != f["deductibles_cents"]):
        raise Refused("montants incohérents : la dépense réelle doit égaler la part Sécurité "
                      "sociale + la part mutuelle + le reste à charge")
    payment = data.get("payment") or {}
    paid_cents = cents(payment["amount"], "payment.amount") if payment.get("amount") else None
    if status == "paid":
        if not payment.get("date"):
            raise Refused("remboursement payé sans date de paiement (payment.date)")
        if paid_cents is not None and paid_cents != f["mutual_cents"]:
            raise Refused("montants incohérents : le paiement diffère de la part mutuelle")
    lines = [Line(key=key, label=explanations[fig][0] or LINE_LABELS[key],
                  amount_cents=f[fig], explanation=explanations[fig][1] or "")
             for fig, key in FIGURE_LINES.items()]
    sector = _ext_value(data, "practitioner-sector", "Integer")
    provider = (data.get("provider") or {}).get("display")
    practitioner = Practitioner(
        name=provider, specialty=_ext_value(data, "practitioner-specialty", "String"),
        sector=sector if sector in (1, 2) else None,
        optam=_ext_value(data, "practitioner-optam", "Boolean"))
    coverage_ref = (((data.get("insurance") or [{}])[0].get("coverage") or {})
                    .get("reference") or "")
    suffix = f"-{member_id}-{benef_id}"
    contract_id = (coverage_ref.removeprefix("Coverage/").removesuffix(suffix)
                   if coverage_ref.endswith(suffix) else None)
    request = ((data.get("claim") or {}).get("identifier") or {})
    eob_id = str(data["id"])
    claim_id = claim_id_of(eob_id, care_date)
    notice = _ext_value(data, "notice", "Boolean")
    quantity = (item.get("quantity") or {}).get("value") or 1
    return Eob(
        id=eob_id, claim_id=claim_id, member_id=member_id, beneficiary_id=benef_id,
        contract_id=contract_id or None, care_date=care_date, status=status,
        act_code=act.code, act_label=coding.get("display") or act.label,
        quantity=int(quantity), figures=f, participation_cents=participation,
        franchise_cents=franchise, lines=lines,
        practitioner=practitioner if any(practitioner.model_dump().values()) else None,
        care_pathway=_ext_value(data, "care-pathway", "Boolean") is not False,
        situations=[e.get("valueString") for e in _ext(data, "situation")
                    if e.get("valueString")],
        payment_date=_day(payment["date"], "payment.date") if payment.get("date") else None,
        paid_cents=paid_cents,
        bank_account_masked=_ext_value(payment, "bank-account-masked", "String"),
        request_id=request.get("value") if request.get("system") == fp.PORTAL_REQUEST else None,
        notice=notice is not False)


def claim_item(eob: Eob, *, beneficiary_name: str, formula_id: str | None) -> dict[str, Any]:
    """The stored reimbursement, with what it consumed (for the engine's later answers)."""
    f = eob.figures
    past = past_care_of_payment(
        beneficiary_id=eob.beneficiary_id, act_code=eob.act_code, care_date=eob.care_date,
        formula_id=formula_id, quantity=eob.quantity, base_cents=f["base_cents"],
        social_security_cents=f["social_security_cents"],
        deductibles_cents=f["deductibles_cents"], mutual_cents=f["mutual_cents"],
        participation_cents=eob.participation_cents, franchise_cents=eob.franchise_cents)
    act = act_of(eob.act_code, eob.care_date)
    claim = ClaimItem(
        id=eob.claim_id, care_date=eob.care_date, beneficiary_id=eob.beneficiary_id,
        beneficiary_name=beneficiary_name, act_code=eob.act_code, act_label=eob.act_label,
        category=act.category, category_label=act.category_label, quantity=eob.quantity,
        practitioner=eob.practitioner, care_pathway=eob.care_pathway, **f,
        lines=eob.lines, situations=eob.situations,
        consumption=past.model_dump(mode="json") if eob.status != "rejected" else {},
        status=eob.status, payment_date=eob.payment_date if eob.status == "paid" else None,
        bank_account_masked=eob.bank_account_masked, request_id=eob.request_id)
    item = claim_to_item(f"MEMBER#{eob.member_id}", claim)
    return {k: v for k, v in item.items() if k not in ("pk", "sk")}


def notice_item(eob: Eob, first_name: str) -> dict[str, Any]:
    """The payment notice of a newly paid reimbursement (« Mes remboursements », the digest)."""
    paid_on = (eob.payment_date or eob.care_date).isoformat()
    return {"pk": f"MEMBER#{eob.member_id}", "sk": f"NOTICE#{eob.claim_id}",
            "type": "payment_notice", "claim_id": eob.claim_id,
            "care_date": eob.care_date.isoformat(), "paid_on": paid_on,
            "amount_cents": eob.figures["mutual_cents"], "beneficiary_first_name": first_name,
            "emailed": False, "seen": False,
            "gsi3pk": f"NOTICES#{int(eob.member_id) % 16 if eob.member_id.isdigit() else 0}",
            "gsi3sk": f"{paid_on}#{eob.member_id}#{eob.claim_id}"}


MAPPERS = {"Patient": patient, "Coverage": coverage, "Invoice": invoice}
