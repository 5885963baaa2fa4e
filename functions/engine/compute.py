"""How one act of care splits between Sécurité sociale, the mutuelle and the member."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from shared.dates import age_on, fr_date
from shared.money import format_eur, plural

from .catalogue import act_def, act_version, check_care_date, formula_def, formula_version
from .errors import CareDateError, InvalidBeneficiaryError, InvalidCareError, RulesDataError
from .history import History
from .models import BeneficiaryFacts, Breakdown, CareInput, Consumption, Line, Totals
from .money import percent_of
from .renewal import is_covered, next_covered_date, period
from .rules import ActDef, ActVersion, FormulaDef, FormulaVersion, Guarantee, load_rules, pick

LABELS = {
    "real_cost": "Dépense réelle",
    "base": "Base de remboursement de la Sécurité sociale",
    "social_security": "Remboursement de la Sécurité sociale",
    "deductibles": "Participation forfaitaire et franchise",
    "mutual": "Remboursement de votre mutuelle",
    "out_of_pocket": "Reste à votre charge",
}


@dataclass
class _Ctx:
    care: CareInput
    benef: BeneficiaryFacts
    history: History
    act: ActDef
    version: ActVersion
    formula: FormulaDef
    fversion: FormulaVersion
    age: int
    price: int
    qty: int
    sector: int | None
    non_optam: bool
    notes: list[str] = field(default_factory=list)
    unconfirmed: bool = False


def _units(ctx: _Ctx, count: int | None = None) -> str:
    singular, plural_form = ctx.act.quantity_unit
    return plural(ctx.qty if count is None else count, singular, plural_form)


# --- validation ----------------------------------------------------------------------------


def _validate(
    care: CareInput,
    benef: BeneficiaryFacts,
    formula_id: str,
    history: History | None,
    today: date | None,
) -> _Ctx:
    check_care_date(care.care_date)
    if today is not None and care.care_date > today:
        raise CareDateError(
            "care_date_in_future",
            f"La date des soins ({fr_date(care.care_date)}) est dans le futur : indiquez "
            f"la date à laquelle les soins ont eu lieu.",
            "care_date",
        )
    act = act_def(care.act_code)
    version = act_version(act, care.care_date)
    formula = formula_def(formula_id)
    fversion = formula_version(formula, care.care_date)
    if benef.birth_date > care.care_date:
        raise InvalidBeneficiaryError(
            "care_before_birth",
            f"La date des soins ({fr_date(care.care_date)}) est antérieure à la date de "
            f"naissance du bénéficiaire ({fr_date(benef.birth_date)}) : vérifiez-la.",
            "care_date",
        )
    if history is None:
        history = History.empty(benef.id, care.care_date)
    elif history.beneficiary_id != benef.id:
        raise InvalidBeneficiaryError(
            "history_mismatch",
            "L'historique fourni ne correspond pas au bénéficiaire des soins.",
            "beneficiary_id",
        )
    max_price = load_rules().acts.max_price_cents
    if care.price_cents <= 0:
        raise InvalidCareError(
            "invalid_price",
            "Indiquez le montant payé pour ce soin : il doit être supérieur à 0 €.",
            "price_cents",
        )
    if care.price_cents > max_price:
        raise InvalidCareError(
            "invalid_price",
            f"Le montant de {format_eur(care.price_cents)} semble trop élevé (plus de "
            f"{format_eur(max_price)}) : vérifiez la somme saisie.",
            "price_cents",
        )
    if not 1 <= care.quantity <= act.max_quantity:
        singular, plural_form = act.quantity_unit
        message = (
            f"Pour « {act.label} », indiquez une seule {singular} par demande (quantité 1)."
            if act.max_quantity == 1
            else f"Pour « {act.label} », le nombre de {plural_form} doit être compris entre 1 et "
            f"{act.max_quantity}."
        )
        raise InvalidCareError("invalid_quantity", message, "quantity")
    sector = None
    notes: list[str] = []
    non_optam = False
    if act.needs_sector:
        sector = 1 if care.sector is None else care.sector
        if sector not in (1, 2):
            raise InvalidCareError(
                "invalid_sector",
                "Le secteur du médecin doit être 1 (tarifs sans dépassement) ou 2 (honoraires "
                "libres). Les médecins non conventionnés (secteur 3) ne sont pas pris en charge "
                "par cet outil.",
                "sector",
            )
        if sector == 2 and care.optam is not True:
            non_optam = True
            if care.optam is None:
                notes.append(
                    "Nous avons supposé que le médecin, en secteur 2, n'adhère pas à l'OPTAM : "
                    "s'il y adhère, votre remboursement peut être plus élevé."
                )
    return _Ctx(
        care=care,
        benef=benef,
        history=history,
        act=act,
        version=version,
        formula=formula,
        fversion=fversion,
        age=age_on(benef.birth_date, care.care_date),
        price=care.price_cents,
        qty=care.quantity,
        sector=sector,
        non_optam=non_optam,
        notes=notes,
        unconfirmed=act.unconfirmed or version.unconfirmed,
    )


# --- base and Sécurité sociale -------------------------------------------------------------


def _base(ctx: _Ctx) -> tuple[int, str, int | None]:
    """Base (BRSS) in cents, its explanation, and the 100 % Santé cap for the quantity."""
    v = ctx.version
    age_base = next((a for a in v.age_bases if ctx.age < a.under_age), None)
    cap_unit = v.price_cap_cents
    if age_base is not None and age_base.price_cap_cents is not None:
        cap_unit = age_base.price_cap_cents
    cap = None if cap_unit is None else cap_unit * ctx.qty
    if cap is not None:
        ctx.unconfirmed |= "price_cap" in v.unconfirmed_figures
    ctx.unconfirmed |= "rate" in v.unconfirmed_figures

    if v.base_cents is None:
        return (
            ctx.price,
            f"Pour ce soin, la base est le montant facturé ({v.base_note}) : "
            f"{format_eur(ctx.price)}.",
            cap,
        )
    if v.base_cents == 0:
        return (
            0,
            "Ce soin n'est pas remboursé par la Sécurité sociale : il n'a pas de base "
            "de remboursement.",
            cap,
        )

    if ctx.non_optam and v.non_optam_base_cents is not None:
        unit = v.non_optam_base_cents
        why = "tarif de base quand le médecin de secteur 2 n'adhère pas à l'OPTAM"
        ctx.unconfirmed |= "non_optam_base" in v.unconfirmed_figures
    elif age_base is not None:
        unit = age_base.base_cents
        ctx.unconfirmed |= "age_bases" in v.unconfirmed_figures
        why = f"{v.base_note or 'tarif de la Sécurité sociale'}, {age_base.label}"
        if age_base.note:
            why += f", {age_base.note}"
    else:
        unit = v.base_cents
        why = v.base_note or "tarif de la Sécurité sociale"
        ctx.unconfirmed |= "base" in v.unconfirmed_figures
    tariff = unit * ctx.qty
    if ctx.qty > 1:
        text = f"{format_eur(unit)} × {_units(ctx)} = {format_eur(tariff)} ({why})"
    else:
        text = f"{format_eur(tariff)} ({why})"
    if tariff > ctx.price:
        return (
            ctx.price,
            (
                f"Base limitée au montant payé, {format_eur(ctx.price)}, inférieur au tarif de "
                f"{text}."
            ),
            cap,
        )
    return tariff, text[0].upper() + text[1:] + ".", cap


@dataclass
class _SocialSecurity:
    gross: int  # Sécurité sociale part before participation forfaitaire / franchise
    in_pathway: int  # what it would be within the care pathway (mutuelle's reference)
    text: str
    out_of_pathway: bool = False


def _social_security(ctx: _Ctx, base: int) -> _SocialSecurity:
    v = ctx.version
    if base == 0:
        return _SocialSecurity(0, 0, "La Sécurité sociale ne rembourse pas ce soin.")
    if v.rate_percent == 0:
        return _SocialSecurity(
            0,
            0,
            "La Sécurité sociale ne rembourse pas ce forfait : il est à régler par vous ou "
            "par votre mutuelle.",
        )
    if ctx.act.heavy_act_flat_code:
        flat_act = load_rules().acts_by_code[ctx.act.heavy_act_flat_code]
        flat = pick(flat_act.versions, ctx.care.care_date)
        if flat is None or flat.base_cents is None or flat.threshold_cents is None:
            raise RulesDataError("rules_missing", "Forfait actes lourds absent à cette date.")
        ctx.unconfirmed |= flat.unconfirmed
        if base >= flat.threshold_cents:
            gross = base - flat.base_cents
            return _SocialSecurity(
                gross,
                gross,
                f"100 % de la base de {format_eur(base)} (acte de plus de "
                f"{format_eur(flat.threshold_cents)}), moins le forfait actes lourds de "
                f"{format_eur(flat.base_cents)}, que votre mutuelle peut prendre en charge",
            )
    rate = v.rate_percent
    in_pathway = percent_of(base, rate)
    pathway_rule = ctx.act.care_pathway and v.out_of_pathway_rate_percent is not None
    if pathway_rule and not ctx.care.care_pathway:
        if ctx.age < 16:
            ctx.notes.append(
                "Le parcours de soins coordonnés ne s'applique pas avant 16 ans : "
                "le remboursement n'est pas réduit."
            )
        else:
            out_rate = v.out_of_pathway_rate_percent
            return _SocialSecurity(
                percent_of(base, out_rate),
                in_pathway,
                f"{out_rate} % de la base de {format_eur(base)} au lieu de {rate} % : "
                f"consultation en dehors du parcours de soins coordonnés (sans passer par "
                f"votre médecin traitant)",
                out_of_pathway=True,
            )
    text = f"{rate} % de la base de {format_eur(base)}"
    if pathway_rule:
        text += " (parcours de soins respecté)"
    return _SocialSecurity(in_pathway, in_pathway, text)


# --- participation forfaitaire and franchises --------------------------------------------


def _exemption(ctx: _Ctx, kind: str) -> str | None:
    for exemption in load_rules().deductibles.exemptions:
        if kind not in exemption.applies_to:
            continue
        if exemption.code == "under_18" and ctx.age < 18:
            return exemption.label
        if exemption.code in ctx.benef.exemptions:
            return exemption.label
    return None


def _deductibles(ctx: _Ctx, ss_gross: int) -> tuple[int, int, list[str]]:
    """Participation forfaitaire and franchise actually withheld, and their explanation."""
    rules = load_rules().deductibles
    day, year = ctx.care.care_date, ctx.care.care_date.year
    texts: list[str] = []
    participation = 0
    franchise = 0

    if ctx.act.participation:
        pv = pick(rules.participation_forfaitaire, day)
        if pv is None:
            raise RulesDataError("rules_missing", "Participation forfaitaire absente à cette date.")
        ctx.unconfirmed |= pv.unconfirmed
        exempt = _exemption(ctx, "participation")
        if exempt:
            texts.append(f"Participation forfaitaire non appliquée : {exempt}.")
        else:
            amount, why = pv.amount_cents, []
            if ctx.care.practitioner_id:
                room = max(
                    0,
                    pv.daily_cap_cents_per_practitioner
                    - ctx.history.participation_on(day, ctx.care.practitioner_id),
                )
                if room < amount:
                    amount = room
                    why.append(
                        f"le plafond de {format_eur(pv.daily_cap_cents_per_practitioner)}"
                        f" par jour chez le même professionnel est atteint"
                    )
            room = max(0, pv.yearly_cap_cents - ctx.history.year(year).participation_cents)
            if room < amount:
                amount = room
                why.append(
                    f"le plafond annuel de {format_eur(pv.yearly_cap_cents)} est atteint "
                    f"pour {year}"
                )
            if ss_gross < amount:
                # SS recovers the rest on later reimbursements; not modelled here.
                amount = ss_gross
                why.append("elle est limitée au remboursement de la Sécurité sociale")
            participation = amount
            if amount == 0:
                texts.append(f"Participation forfaitaire non appliquée : {' ; '.join(why)}.")
            elif why:
                texts.append(
                    f"Participation forfaitaire réduite à {format_eur(amount)} au lieu de "
                    f"{format_eur(pv.amount_cents)} : {' ; '.join(why)}."
                )
            else:
                texts.append(
                    f"Participation forfaitaire de {format_eur(amount)} retenue par la Sécurité "
                    f"sociale (au plus {format_eur(pv.daily_cap_cents_per_practitioner)} par jour "
                    f"chez un même professionnel et {format_eur(pv.yearly_cap_cents)} par an)."
                )

    if ctx.act.franchise:
        fv = pick(rules.franchises, day)
        if fv is None:
            raise RulesDataError("rules_missing", "Franchises médicales absentes à cette date.")
        ctx.unconfirmed |= fv.unconfirmed
        kind = ctx.act.franchise
        exempt = _exemption(ctx, "franchise")
        if exempt:
            texts.append(f"Franchise médicale non appliquée : {exempt}.")
        else:
            unit = {
                "box": fv.box_cents,
                "paramedical": fv.paramedical_cents,
                "transport": fv.transport_cents,
            }[kind]
            full = unit * ctx.qty
            amount, why = full, []
            daily_cap = {
                "paramedical": fv.paramedical_daily_cap_cents,
                "transport": fv.transport_daily_cap_cents,
            }.get(kind)
            if daily_cap is not None:
                ctx.unconfirmed |= f"{kind}_daily_cap" in fv.unconfirmed_figures
                room = max(0, daily_cap - ctx.history.franchise_on(day, kind))
                if room < amount:
                    amount = room
                    why.append(f"le plafond de {format_eur(daily_cap)} par jour est atteint")
            room = max(0, fv.yearly_cap_cents - ctx.history.year(year).franchise_cents)
            if room < amount:
                amount = room
                why.append(
                    f"le plafond annuel de {format_eur(fv.yearly_cap_cents)} est atteint "
                    f"pour {year}"
                )
            if ss_gross - participation < amount:
                amount = ss_gross - participation
                why.append("elle est limitée au remboursement de la Sécurité sociale")
            franchise = amount
            detail = (
                f"{format_eur(unit)} × {_units(ctx)} = {format_eur(full)}"
                if ctx.qty > 1
                else format_eur(full)
            )
            if amount == 0:
                texts.append(f"Franchise médicale non appliquée : {' ; '.join(why)}.")
            elif why:
                texts.append(
                    f"Franchise médicale réduite à {format_eur(amount)} au lieu de "
                    f"{detail} : {' ; '.join(why)}."
                )
            else:
                texts.append(
                    f"Franchise médicale de {detail}, retenue par la Sécurité sociale "
                    f"(au plus {format_eur(fv.yearly_cap_cents)} par an)."
                )

    if participation or franchise:
        texts.append(
            "Elle reste à votre charge : la mutuelle n'a pas le droit de la rembourser "
            "(contrat responsable)."
            if (participation == 0) != (franchise == 0)
            else "Elles restent à votre charge : la mutuelle n'a pas le droit de les rembourser "
            "(contrat responsable)."
        )
    if not texts:
        texts.append(
            "Aucune participation forfaitaire ni franchise médicale ne s'applique à ce soin."
        )
    return participation, franchise, texts


# --- mutuelle -------------------------------------------------------------------------------


@dataclass
class _Mutual:
    amount: int
    text: str
    forfait_key: str | None = None
    forfait_cents: int = 0
    renewal_ok: bool = True


def _renewal_refusal(ctx: _Ctx) -> str | None:
    # Simplification: the Sécurité sociale applies the same renewal periods, but its part is
    # still computed here (the text tells the member it assumes the Sécurité sociale pays).
    kind = ctx.act.renewal
    if kind is None:
        return None
    last = ctx.history.last_optics_date if kind == "optics" else ctx.history.last_hearing_date
    day = ctx.care.care_date
    if is_covered(kind, last, ctx.benef.birth_date, day):
        return None
    _, rule = period(kind, ctx.benef.birth_date, day)
    next_day = next_covered_date(kind, last, ctx.benef.birth_date)
    what = (
        "les dernières lunettes remboursées datent"
        if kind == "optics"
        else "les dernières aides auditives remboursées datent"
    )
    exception = (
        " (sauf évolution de la vue justifiée par une ordonnance)" if kind == "optics" else ""
    )
    return (
        f"Pas de remboursement de votre mutuelle : {what} du {fr_date(last)} et le "
        f"renouvellement est pris en charge {rule}, soit à partir du {fr_date(next_day)}"
        f"{exception}. La Sécurité sociale applique la même règle : son remboursement affiché "
        f"ici suppose qu'elle l'accepte."
    )


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _mutual(
    ctx: _Ctx,
    base: int,
    ss: _SocialSecurity,
    cap_100: int | None,
    participation: bool,
    franchise: bool,
) -> _Mutual:
    formula_label = ctx.formula.label
    ss_gross, ss_ref, out_of_pathway = ss.gross, ss.in_pathway, ss.out_of_pathway
    room = ctx.price - ss_gross  # never more than what the SS leaves, deductibles excluded

    refusal = _renewal_refusal(ctx)
    if refusal:
        return _Mutual(0, refusal, renewal_ok=False)

    g: Guarantee | None = ctx.fversion.guarantees.get(ctx.act.guarantee)
    if g is None or (g.percent == 0 and not g.sante_100 and g.forfait is None):
        label = g.label if g else load_rules().acts.categories[ctx.act.category]
        return _Mutual(0, f"Votre formule {formula_label} ne rembourse pas ce soin ({label}).")

    if ctx.act.basket == "100_sante" and g.sante_100 and cap_100 is not None:
        covered = min(ctx.price, cap_100)
        amount = max(0, min(covered - ss_gross, room))
        text = (
            f"Équipement 100 % Santé : votre mutuelle complète le remboursement de la "
            f"Sécurité sociale jusqu'au prix limite de vente de {format_eur(cap_100)}, soit "
            f"{format_eur(covered)} − {format_eur(ss_gross)} = {format_eur(amount)}."
        )
        if ctx.price > cap_100:
            text += (
                f" Le prix payé dépasse ce prix limite de {format_eur(ctx.price - cap_100)}"
                f" : cette partie reste à votre charge (un équipement 100 % Santé ne "
                f"devrait pas être vendu plus cher)."
            )
        return _Mutual(amount, text)

    # Percentage of the base, Sécurité sociale included.
    percent = g.percent
    sentences: list[str] = []
    percent_text = f"jusqu'à {percent} % de la base, Sécurité sociale comprise"
    if ctx.non_optam and g.percent_non_optam is not None:
        responsable = pick(load_rules().formulas.contrat_responsable, ctx.care.care_date)
        limit = responsable.non_optam_max_percent if responsable else 200
        percent = min(g.percent_non_optam, limit)
        percent_text = (
            f"jusqu'à {percent} % de la base, Sécurité sociale comprise (plafonné à "
            f"{percent} % de la base car le médecin n'adhère pas à l'OPTAM ; "
            f"{g.percent} % avec un médecin adhérent)"
        )
    if out_of_pathway:
        percent = min(percent, 100)
    target = percent_of(base, percent)
    covered = min(target, ctx.price)
    percent_part = max(0, min(covered - ss_ref, room))

    if out_of_pathway:
        sentences.append(
            f"Hors parcours de soins, votre mutuelle ne rembourse que le ticket modérateur "
            f"habituel ({format_eur(percent_part)}) : la baisse du remboursement de la Sécurité "
            f"sociale et les dépassements d'honoraires restent à votre charge (règle du contrat "
            f"responsable)."
        )
    elif percent > 0 and base > 0:
        head = f"Formule {formula_label} : {percent_text}, soit {format_eur(target)}"
        if target > ctx.price:
            head += f" ; dans la limite de la dépense de {format_eur(ctx.price)},"
        else:
            head += " :"
        if percent_part == 0:
            sentences.append(
                f"{head} la Sécurité sociale couvre déjà ce montant, la mutuelle "
                f"ne verse rien de plus."
            )
        elif ss_ref == 0:
            sentences.append(f"{head} la mutuelle verse {format_eur(percent_part)}.")
        else:
            withheld = [
                name
                for name, applied in (
                    ("participation forfaitaire", participation),
                    ("franchise médicale", franchise),
                )
                if applied
            ]
            before = f" avant {' et '.join(withheld)}" if withheld else ""
            sentences.append(
                f"{head} la mutuelle verse {format_eur(covered)} − {format_eur(ss_ref)} (part "
                f"de la Sécurité sociale{before}) = {format_eur(percent_part)}."
            )

    # Caps per unit: the formula's own (e.g. per session) and the contrat responsable's.
    caps: list[tuple[int, str]] = []
    if g.per_unit_cap_cents is not None:
        caps.append(
            (
                g.per_unit_cap_cents * ctx.qty,
                f"part de la mutuelle limitée à {format_eur(g.per_unit_cap_cents)} par "
                f"{ctx.act.quantity_unit[0]} selon votre formule",
            )
        )
    responsable = pick(load_rules().formulas.contrat_responsable, ctx.care.care_date)
    if ctx.act.regulatory_mutual_cap and responsable:
        cap = responsable.mutual_caps_per_unit[ctx.act.regulatory_mutual_cap]
        ctx.unconfirmed |= cap.unconfirmed
        caps.append((cap.amount_cents * ctx.qty, cap.label))
    if ctx.act.regulatory_total_cap and responsable:
        cap = responsable.total_caps_per_unit[ctx.act.regulatory_total_cap]
        ctx.unconfirmed |= cap.unconfirmed
        caps.append((max(0, cap.amount_cents * ctx.qty - ss_gross), cap.label))
    mutual_cap = min((c for c, _ in caps), default=None)

    if mutual_cap is not None and percent_part > mutual_cap:
        percent_part = mutual_cap

    forfait_part = 0
    forfait_key = None
    if g.forfait:
        forfait = ctx.fversion.forfaits[g.forfait]
        forfait_key = g.forfait
        used, _, end = ctx.history.forfait_used(
            g.forfait, forfait.period_months, ctx.care.care_date
        )
        left = max(0, forfait.amount_cents - used)
        wanted = max(0, room - percent_part)
        forfait_part = min(wanted, left)
        if mutual_cap is not None:
            forfait_part = max(0, min(forfait_part, mutual_cap - percent_part))
        if wanted > 0 and left == 0:
            until = f" (jusqu'au {fr_date(end)})" if end else ""
            sentences.append(
                f"Votre {_lower_first(forfait.label)} ({format_eur(forfait.amount_cents)}"
                f" {forfait.period_label}) est épuisé pour la période en cours"
                f"{until}."
            )
        elif forfait_part > 0:
            sentences.append(
                f"{'En plus, ' if percent_part else ''}{format_eur(forfait_part)} "
                f"{'pris' if percent_part else 'sont pris'} sur votre "
                f"{_lower_first(forfait.label)} "
                f"({format_eur(forfait.amount_cents)} {forfait.period_label} ; "
                f"{format_eur(left)} disponibles avant ce soin)."
            )

    amount = percent_part + forfait_part
    binding = [
        label
        for cap, label in caps
        if mutual_cap is not None
        and cap == mutual_cap
        and amount == mutual_cap
        and room > mutual_cap
    ]
    if binding:
        sentences.append(f"Montant plafonné : {binding[0]}.")
    if not sentences:
        sentences.append(
            f"Votre formule {formula_label} ne prévoit pas de remboursement "
            f"supplémentaire pour ce soin."
        )
    return _Mutual(
        amount,
        " ".join(sentences),
        forfait_key=forfait_key if forfait_part else None,
        forfait_cents=forfait_part,
    )


# --- entry point ----------------------------------------------------------------------------


def compute(
    care: CareInput,
    beneficiary: BeneficiaryFacts,
    formula_id: str,
    history: History | None = None,
    *,
    today: date | None = None,
) -> Breakdown:
    """Split one act of care. ``today`` (optional) refuses care dates in the future.

    Raises an ``EngineError`` subclass with a French message when the input cannot be
    computed.
    """
    ctx = _validate(care, beneficiary, formula_id, history, today)

    base, base_text, cap_100 = _base(ctx)
    ss = _social_security(ctx, base)
    ss_gross, ss_text = ss.gross, ss.text
    participation, franchise, deductible_texts = _deductibles(ctx, ss_gross)
    deductibles = participation + franchise
    ss_net = ss_gross - deductibles
    mutual = _mutual(ctx, base, ss, cap_100, bool(participation), bool(franchise))
    out_of_pocket = ctx.price - ss_net - mutual.amount
    if not (0 <= mutual.amount <= ctx.price - ss_gross and out_of_pocket >= deductibles):
        raise RulesDataError("engine_invariant", "Calcul incohérent : merci de nous le signaler.")

    if participation and franchise:
        ss_text += (
            f", moins la participation forfaitaire de {format_eur(participation)} et la "
            f"franchise médicale de {format_eur(franchise)}"
        )
    elif participation:
        ss_text += f", moins la participation forfaitaire de {format_eur(participation)}"
    elif franchise:
        ss_text += f", moins la franchise médicale de {format_eur(franchise)}"
    if ss_gross and not ss_text.endswith("."):
        ss_text += f", soit {format_eur(ss_net)}."

    real_text = f"Montant payé : {format_eur(ctx.price)}"
    real_text += f" pour {_units(ctx)}." if ctx.qty > 1 else "."

    if out_of_pocket == 0:
        if ctx.act.basket == "100_sante" and mutual.renewal_ok:
            oop_text = (
                "Aucun reste à charge : équipement 100 % Santé vendu dans la limite du "
                "prix limite de vente."
            )
        else:
            oop_text = (
                "Aucun reste à charge : la Sécurité sociale et votre mutuelle "
                "remboursent toute la dépense."
            )
    else:
        oop_text = (
            f"{format_eur(ctx.price)} − {format_eur(ss_net)} (Sécurité sociale) − "
            f"{format_eur(mutual.amount)} (mutuelle) = {format_eur(out_of_pocket)}"
        )
        parts = []
        if participation:
            parts.append(f"{format_eur(participation)} de participation forfaitaire")
        if franchise:
            parts.append(f"{format_eur(franchise)} de franchise médicale")
        rest = out_of_pocket - deductibles
        if rest and parts:
            parts.append(f"{format_eur(rest)} au-delà des remboursements")
        oop_text += f", dont {' et '.join(parts)}." if parts else "."

    lines = [
        Line(
            key="real_cost",
            label=LABELS["real_cost"],
            amount_cents=ctx.price,
            explanation=real_text,
        ),
        Line(key="base", label=LABELS["base"], amount_cents=base, explanation=base_text),
        Line(
            key="social_security",
            label=LABELS["social_security"],
            amount_cents=ss_net,
            explanation=ss_text[0].upper() + ss_text[1:],
        ),
        Line(
            key="deductibles",
            label=LABELS["deductibles"],
            amount_cents=deductibles,
            explanation=" ".join(deductible_texts),
        ),
        Line(
            key="mutual",
            label=LABELS["mutual"],
            amount_cents=mutual.amount,
            explanation=mutual.text,
        ),
        Line(
            key="out_of_pocket",
            label=LABELS["out_of_pocket"],
            amount_cents=out_of_pocket,
            explanation=oop_text,
        ),
    ]
    consumption = Consumption(
        participation_cents=participation,
        franchise_cents=franchise,
        franchise_kind=ctx.act.franchise if franchise else None,
        forfait_key=mutual.forfait_key,
        forfait_cents=mutual.forfait_cents,
        renewal=ctx.act.renewal if mutual.renewal_ok else None,
    )
    categories = load_rules().acts.categories
    return Breakdown(
        beneficiary_id=beneficiary.id,
        care_date=care.care_date,
        act_code=ctx.act.code,
        act_label=ctx.act.label,
        category=ctx.act.category,
        category_label=categories[ctx.act.category],
        quantity=ctx.qty,
        practitioner_id=care.practitioner_id,
        formula_id=ctx.formula.id,
        formula_label=ctx.formula.label,
        lines=lines,
        totals=Totals(
            real_cost_cents=ctx.price,
            base_cents=base,
            social_security_cents=ss_net,
            deductibles_cents=deductibles,
            mutual_cents=mutual.amount,
            out_of_pocket_cents=out_of_pocket,
            ticket_moderateur_cents=base - ss_gross,
        ),
        consumption=consumption,
        notes=ctx.notes,
        unconfirmed=ctx.unconfirmed,
    )
