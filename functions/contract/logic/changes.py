"""The changes a member asks for about her contract, each filed as a request that an advisor
processes (domain.requests): a beneficiary added, new bank details, a portabilité.

Bank details are the first target of fraud against members (fake emails and calls to take an
account over and divert reimbursements): the password is asked again, the address on file is
told at once, the change waits for an advisor who sees where it came from and whether the
account's email or password changed lately, and the account is never shown unmasked."""

from __future__ import annotations

from datetime import date

from contract.models import (
    BankDetailsIn,
    BeneficiaryIn,
    EligibilityOut,
    FiledRequest,
    IbanCheckOut,
    PortabilityIn,
    PortabilityRequestIn,
)
from domain.membership import member_context
from domain.notifications import email
from domain.requests import KINDS, STATUS_LABELS, RequestItem, submit
from shared import attempts, clock
from shared.dates import add_months, fr_date
from shared.errors import Unprocessable
from shared.french import de
from shared.iban import mask_iban, normalize
from shared.identity import Caller
from shared.observability import count
from shared.settings import get_settings

MAX_PORTABILITY_MONTHS = 12


def iban_check(iban: str) -> IbanCheckOut:
    """Checksum, SEPA zone and the bank's name, as the member types."""
    from schwifty import IBAN
    from schwifty.exceptions import SchwiftyException

    raw = normalize(iban)
    try:
        parsed = IBAN(raw)
    except SchwiftyException:
        return IbanCheckOut(valid=False, masked=None, bank_name=None, country=None, sepa=False,
                            message="Cet IBAN n'est pas valide : vérifiez chaque caractère "
                                    "(il commence par deux lettres, FR pour un compte en "
                                    "France).")
    sepa = bool(parsed.in_sepa_zone)
    bank = parsed.bank_name
    if not sepa:
        return IbanCheckOut(valid=False, masked=mask_iban(raw), bank_name=bank,
                            country=parsed.country_code, sepa=False,
                            message="Ce compte n'est pas dans la zone SEPA : nous ne pouvons "
                                    "pas y verser vos remboursements ni y prélever vos "
                                    "cotisations.")
    return IbanCheckOut(valid=True, masked=mask_iban(raw), bank_name=bank,
                        country=parsed.country_code, sepa=True,
                        message=f"IBAN valide{f' : {bank}' if bank else ''}.")


def filed(request: RequestItem) -> FiledRequest:
    return FiledRequest(id=request.id, reference=request.reference,
                        kind_label=KINDS[request.kind].label, subject=request.subject,
                        status=request.status, status_label=STATUS_LABELS[request.status],
                        created_at=request.created_at)


def bank_details(caller: Caller, data: BankDetailsIn, key: str | None,
                 origin: dict) -> FiledRequest:
    ctx = member_context(caller.member)
    check = iban_check(data.iban)
    if not check.valid:
        raise Unprocessable(check.message, code="invalid_iban", fields={"iban": check.message})
    if data.target == "benefit":
        if not data.beneficiary_id:
            raise Unprocessable("Choisissez le bénéficiaire dont les remboursements iront sur "
                                "ce compte.", code="beneficiary_missing",
                                fields={"beneficiary_id": "bénéficiaire"})
        ctx.beneficiary(data.beneficiary_id)
    holder = " ".join(data.holder.split())
    if not attempts.password_is_right(caller.sub, ctx.profile.email, data.password):
        count("SensitiveChangeRefused")
        raise Unprocessable("Le mot de passe n'est pas le bon : vos coordonnées bancaires "
                            "n'ont pas été changées.", code="wrong_password",
                            fields={"password": "mot de passe incorrect"})
    target = "vos cotisations" if data.target == "contribution" else \
        f"les remboursements {de(ctx.beneficiary(data.beneficiary_id).name)}"
    def warning(request: RequestItem) -> list[dict]:
        """To the address on file before any change, with the request itself: if it was not
        her, she can stop it."""
        return [email(ctx.member_id, ctx.profile.email,
                      "Demande de changement de coordonnées bancaires",
                      "Bonjour,\n\nUne demande de changement de coordonnées bancaires a été "
                      f"faite depuis votre espace adhérent (demande n° {request.reference}). "
                      "Elle sera vérifiée par un conseiller avant d'être appliquée.\n\nSi vous "
                      "n'êtes pas à l'origine de cette demande, appelez-nous sans attendre et "
                      f"changez votre mot de passe.\n\n{get_settings().brand_name}",
                      reference=request.reference)]

    request = submit(
        ctx, kind="bank_details", key=key, upload_ids=data.upload_ids,
        beneficiary_id=data.beneficiary_id if data.target == "benefit" else None,
        subject=f"Nouveau compte pour {target}", message=None, origin=origin,
        payload={"target": data.target, "beneficiary_id": data.beneficiary_id,
                 "iban": normalize(data.iban), "masked": check.masked,
                 "bank_name": check.bank_name, "holder": holder, "origin": origin},
        also=warning)
    return filed(request)


def add_beneficiary(caller: Caller, data: BeneficiaryIn, key: str | None) -> FiledRequest:
    ctx = member_context(caller.member)
    today = clock.today()
    if data.birth_date > today:
        raise Unprocessable("La date de naissance est dans le futur.", code="birth_future",
                            fields={"birth_date": "date dans le futur"})
    nir = None
    if data.nir:
        from stdnum.exceptions import ValidationError
        from stdnum.fr import nir as stdnir

        try:
            nir = stdnir.validate(data.nir)
        except ValidationError:
            raise Unprocessable("Ce numéro de sécurité sociale n'est pas valide : vérifiez "
                                "ses 15 chiffres (clé comprise).", code="invalid_nir",
                                fields={"nir": "numéro invalide"}) from None
        if nir[1:3] != f"{data.birth_date.year % 100:02d}" or (
                nir[3:5].isdigit() and int(nir[3:5]) <= 12
                and int(nir[3:5]) != data.birth_date.month):
            raise Unprocessable("Ce numéro de sécurité sociale ne correspond pas à la date de "
                                "naissance indiquée.", code="nir_mismatch",
                                fields={"nir": "ne correspond pas à la date de naissance"})
    if data.relationship == "child" and (today.year - data.birth_date.year) > 28:
        raise Unprocessable("Un enfant peut être couvert jusqu'à ses 28 ans : au-delà, il "
                            "peut adhérer en son nom.", code="child_too_old",
                            fields={"birth_date": "plus de 28 ans"})
    names = {(b.first_name.lower(), b.birth_date) for b in ctx.beneficiaries.values()}
    if (data.first_name.strip().lower(), data.birth_date) in names:
        raise Unprocessable("Cette personne est déjà bénéficiaire du contrat.",
                            code="already_covered")
    label = {"spouse": "conjoint ou partenaire", "child": "enfant", "other": "ayant droit"}[
        data.relationship]
    return filed(submit(ctx, kind="beneficiary_add", key=key, upload_ids=data.upload_ids,
                  subject=f"Ajout {de(data.first_name.strip())} {data.last_name.strip()} "
                          f"({label})", message=data.message,
                  payload={"first_name": data.first_name.strip(),
                           "last_name": data.last_name.strip(),
                           "birth_date": data.birth_date.isoformat(),
                           "relationship": data.relationship, "nir": nir,
                           "regime": data.regime}))


def eligibility(caller: Caller, data: PortabilityIn) -> EligibilityOut:
    """Whether the cover continues after the job, and until when (CSS L911-8: as long as the
    last employment contract, 12 months at most, with unemployment benefit, unless dismissed
    for gross misconduct; for a collective contract)."""
    ctx = member_context(caller.member)
    contract = ctx.active_contract()
    reasons = []
    if data.employment_end < data.employment_start:
        raise Unprocessable("La fin du contrat de travail précède son début.",
                            code="invalid_period",
                            fields={"employment_end": "avant le début"})
    if data.employment_end > add_months(clock.today(), 1):
        raise Unprocessable("Le contrat de travail doit être terminé (ou se terminer dans le "
                            "mois).", code="employment_not_ended",
                            fields={"employment_end": "pas encore terminé"})
    if not contract.collective:
        reasons.append("Votre contrat est individuel : la portabilité concerne les contrats "
                       "collectifs souscrits par un employeur.")
    if data.reason == "gross_misconduct":
        reasons.append("Un licenciement pour faute lourde ne donne pas droit à la "
                       "portabilité.")
    if data.reason == "resignation":
        reasons.append("Une démission (non reconnue comme légitime par France Travail) ne "
                       "donne pas droit à l'allocation chômage, ni donc à la portabilité.")
    if not data.unemployment_benefit:
        reasons.append("La portabilité suppose d'avoir droit à l'allocation chômage de France "
                       "Travail.")
    months = _months(data.employment_start, data.employment_end)
    if reasons:
        return EligibilityOut(eligible=False, until=None, months=0, reasons=reasons)
    months = min(months, MAX_PORTABILITY_MONTHS)
    until = add_months(data.employment_end, months)
    return EligibilityOut(eligible=True, until=until, months=months, reasons=[
        f"Votre couverture continue sans cotisation jusqu'au {fr_date(until)} au plus tard "
        f"({months} mois, la durée de votre dernier contrat de travail, 12 mois au plus).",
        "Elle s'arrête plus tôt si vous retrouvez un emploi ou si votre allocation chômage "
        "cesse : prévenez-nous.",
        "Vos bénéficiaires restent couverts aux mêmes conditions."])


def _months(start: date, end: date) -> int:
    """Whole months of the employment contract, rounded up (a started month counts)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day >= start.day:
        months += 1
    return max(months, 1)


def declare_portability(caller: Caller, data: PortabilityRequestIn,
                        key: str | None) -> FiledRequest:
    verdict = eligibility(caller, data)
    if not verdict.eligible:
        raise Unprocessable(" ".join(verdict.reasons), code="not_eligible")
    ctx = member_context(caller.member)
    return filed(submit(ctx, kind="portability", key=key, upload_ids=data.upload_ids,
                  subject=f"Portabilité jusqu'au {fr_date(verdict.until)}",
                  message=data.message,
                  payload={"employment_start": data.employment_start.isoformat(),
                           "employment_end": data.employment_end.isoformat(),
                           "reason": data.reason, "until": verdict.until.isoformat(),
                           "months": verdict.months}))
