"""A formula's table of guarantees, by category, each line with an example in euros computed
by the engine itself: the table a member reads, the estimate she asks for and the payment she
gets come from the same data and can never disagree. Used by the contract function (« Mes
garanties ») and at site build (the public comparison of the formulas)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

from shared.money import format_eur

from .catalogue import get_act, get_formula, list_formulas, rules_date
from .compute import compute
from .history import History
from .models import BeneficiaryFacts, CareInput
from .rules import Guarantee

CATEGORIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("soins_courants", "Soins courants", (
        "consultation_gp", "consultation_specialist", "imaging", "lab", "paramedical",
        "midwife", "mental_health", "pharmacy_65", "pharmacy_30", "pharmacy_15",
        "pharmacy_100", "devices", "transport")),
    ("hospitalisation", "Hospitalisation", (
        "hospital_stay_fees", "hospital_practitioners", "hospital_daily_charge",
        "hospital_flat_charge", "hospital_private_room")),
    ("optique", "Optique", ("optics_100_sante", "optics_frame", "optics_lens",
                            "contact_lenses")),
    ("dentaire", "Dentaire", ("dental_care", "dental_100_sante", "dental_prosthesis",
                              "dental_implant", "orthodontics", "orthodontics_adult")),
    ("aides_auditives", "Aides auditives", ("hearing_100_sante", "hearing_class_2")),
    ("medecines_douces", "Médecines douces", ("alternative_medicine",)),
    ("prevention", "Prévention", ("vaccines",)),
)
# One common care per line, at a usual price (sector 1 unless said): the example's figures
# are the engine's for an adult in the care pathway with nothing used yet this year.
EXAMPLES: dict[str, tuple[str, int, int, str]] = {
    # key: (act code, price in cents, sector, how the example is worded)
    "consultation_gp": ("G", 3000, 1, "une consultation à 30 €"),
    "consultation_specialist": ("CS", 6000, 2, "un spécialiste de secteur 2 (OPTAM) à 60 €"),
    "imaging": ("ZBQK002", 2128, 1, "une radiographie du thorax à 21,28 €"),
    "lab": ("B", 2500, 1, "une prise de sang à 25 €"),
    "paramedical": ("AMK", 1790, 1, "une séance de kinésithérapie à 17,90 €"),
    "midwife": ("SF-C", 2500, 1, "une consultation de sage-femme à 25 €"),
    "mental_health": ("PSY", 5000, 1, "une séance « Mon soutien psy » à 50 €"),
    "pharmacy_65": ("PH7", 1000, 1, "des médicaments à 65 % pour 10 €"),
    "pharmacy_30": ("PH4", 1000, 1, "des médicaments à 30 % pour 10 €"),
    "pharmacy_15": ("PH2", 1000, 1, "des médicaments à 15 % pour 10 €"),
    "pharmacy_100": ("PH1", 5000, 1, "un médicament irremplaçable à 50 €"),
    "devices": ("LPP", 3000, 1, "un dispositif médical à 30 €"),
    "transport": ("TRANSPORT", 5000, 1, "un transport sanitaire à 50 €"),
    "hospital_stay_fees": ("FS", 100000, 1, "des frais de séjour de 1 000 €"),
    "hospital_practitioners": ("BFGA427", 40000, 2,
                               "une opération de la cataracte à 400 € (secteur 2, OPTAM)"),
    "hospital_daily_charge": ("FJ", 2300, 1, "un jour d'hospitalisation (forfait 23 €)"),
    "hospital_flat_charge": ("FPU", 2300, 1, "un passage aux urgences (forfait 23 €)"),
    "hospital_private_room": ("CHAMBRE", 7000, 1, "une nuit en chambre particulière à 70 €"),
    "optics_100_sante": ("OPT-A", 9500, 1, "des lunettes 100 % Santé à 95 €"),
    "optics_frame": ("OPT-B-MONT", 15000, 1, "une monture à 150 €"),
    "optics_lens": ("OPT-B-VERRE", 12000, 1, "deux verres simples à 120 €"),
    "contact_lenses": ("LENTILLES", 20000, 1, "des lentilles à 200 € pour l'année"),
    "dental_care": ("HBJD001", 2892, 1, "un détartrage à 28,92 €"),
    "dental_100_sante": ("HBLD634", 50000, 1, "une couronne 100 % Santé à 500 €"),
    "dental_prosthesis": ("HBLD634-LIBRE", 80000, 1, "une couronne à tarif libre à 800 €"),
    "dental_implant": ("IMPLANT", 120000, 1, "un implant à 1 200 €"),
    "orthodontics": ("ORTHO-ENF", 60000, 1, "un semestre d'orthodontie d'enfant à 600 €"),
    "orthodontics_adult": ("ORTHO-ADULTE", 80000, 1, "un semestre d'orthodontie adulte à 800 €"),
    "hearing_100_sante": ("AUD-1", 95000, 1, "une aide auditive 100 % Santé à 950 €"),
    "hearing_class_2": ("AUD-2", 150000, 1, "une aide auditive à 1 500 €"),
    "alternative_medicine": ("OSTEO", 6000, 1, "une séance d'ostéopathie à 60 €"),
    "vaccines": ("VACCIN", 2000, 1, "un vaccin à 20 €"),
}
EXAMPLE_ADULT = date(1985, 1, 15)  # born in 1985: an adult, no age rule applies


class Example(BaseModel):
    model_config = ConfigDict(frozen=True)
    care: str  # « une consultation à 30 € »
    act_code: str
    price_cents: int
    social_security_cents: int
    mutual_cents: int
    out_of_pocket_cents: int
    sentence: str
    # The ceiling that set the mutuelle's figure (« part de la mutuelle limitée à 100,00 € par
    # monture… »), when one did: a figure below the formula's promise always says why.
    cap: str | None = None


class GuaranteeLine(BaseModel):
    model_config = ConfigDict(frozen=True)
    key: str
    label: str
    cover: str  # what the formula pays, in words
    example: Example | None


class Category(BaseModel):
    model_config = ConfigDict(frozen=True)
    key: str
    label: str
    lines: list[GuaranteeLine]


class GuaranteeTable(BaseModel):
    model_config = ConfigDict(frozen=True)
    formula_id: str
    formula_label: str
    description: str
    on: date
    rules_date: date  # the day whose rules the examples rest on (see catalogue.rules_date)
    categories: list[Category]


def cover(guarantee: Guarantee, forfaits: dict) -> str:
    """What the formula pays for one line, in a member's words."""
    if guarantee.sante_100:
        return "100 % Santé : rien à payer sur les équipements et soins du panier"
    parts = []
    if guarantee.percent:
        parts.append(f"{guarantee.percent} % de la base de remboursement (Sécurité sociale "
                     f"comprise)")
        if guarantee.percent_non_optam is not None and \
                guarantee.percent_non_optam != guarantee.percent:
            parts.append(f"{guarantee.percent_non_optam} % chez un médecin non adhérent à "
                         f"l'OPTAM")
    if guarantee.forfait:
        forfait = forfaits[guarantee.forfait]
        parts.append(f"forfait de {format_eur(forfait.amount_cents)} "
                     f"{forfait.period_label}")
    if guarantee.per_unit_cap_cents:
        parts.append(f"dans la limite de {format_eur(guarantee.per_unit_cap_cents)} par "
                     f"séance")
    return " ; ".join(parts) or "Non remboursé par cette formule"


def example(key: str, formula_id: str, on: date) -> Example | None:
    if key not in EXAMPLES:
        return None
    code, price, sector, wording = EXAMPLES[key]
    act = get_act(code, on)
    quantity = 2 if code == "OPT-B-VERRE" else 1
    breakdown = compute(
        CareInput(act_code=code, care_date=on, price_cents=price, quantity=quantity,
                  sector=sector if act.needs_sector else None,
                  optam=True if act.needs_sector else None),
        BeneficiaryFacts(id="example", birth_date=EXAMPLE_ADULT), formula_id=formula_id,
        history=History.empty("example", on))
    t = breakdown.totals
    cap = breakdown.capped_by
    return Example(
        care=wording, act_code=code, price_cents=price,
        social_security_cents=t.social_security_cents, mutual_cents=t.mutual_cents,
        out_of_pocket_cents=t.out_of_pocket_cents, cap=_sentence_case(cap) if cap else None,
        sentence=f"Pour {wording} : Sécurité sociale {format_eur(t.social_security_cents)}, "
                 f"mutuelle {format_eur(t.mutual_cents)}, reste à votre charge "
                 f"{format_eur(t.out_of_pocket_cents)}."
                 + (f" Montant plafonné : {cap}." if cap else ""))


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def table(formula_id: str, on: date) -> GuaranteeTable:
    formula = get_formula(formula_id, on)
    categories = []
    for key, label, keys in CATEGORIES:
        lines = [GuaranteeLine(key=k, label=formula.guarantees[k].label,
                               cover=cover(formula.guarantees[k], formula.forfaits),
                               example=example(k, formula_id, on))
                 for k in keys if k in formula.guarantees]
        if lines:
            categories.append(Category(key=key, label=label, lines=lines))
    return GuaranteeTable(formula_id=formula.id, formula_label=formula.label,
                          description=formula.description, on=on, rules_date=rules_date(on),
                          categories=categories)


def comparison(on: date) -> list[GuaranteeTable]:
    """Every formula in force on `on`, in their order."""
    return [table(f.id, on) for f in list_formulas(on)]
