"""Reimbursement engine: Sécurité sociale, mutuelle and reste à charge for one act of care.

Pure Python (pydantic only); the rules are dated JSON files under ``rules/``.
"""

from .catalogue import (
    get_act,
    get_formula,
    list_acts,
    list_formulas,
    rules_date,
    rules_known_until,
    search_acts,
)
from .compute import compute
from .counters import counters
from .errors import (
    ActNotAvailableError,
    CareDateError,
    EngineError,
    InvalidBeneficiaryError,
    InvalidCareError,
    RulesDataError,
    UnknownActError,
    UnknownFormulaError,
)
from .history import History, PastCare, YearUsage
from .models import (
    Act,
    BeneficiaryFacts,
    Breakdown,
    CareInput,
    Consumption,
    Counters,
    ForfaitCounter,
    Formula,
    Line,
    Totals,
)
from .paid import past_care_of_payment
from .rules import Forfait, Guarantee, load_rules

__all__ = [
    "Act",
    "ActNotAvailableError",
    "BeneficiaryFacts",
    "Breakdown",
    "CareDateError",
    "CareInput",
    "Consumption",
    "Counters",
    "EngineError",
    "Forfait",
    "ForfaitCounter",
    "Formula",
    "Guarantee",
    "History",
    "InvalidBeneficiaryError",
    "InvalidCareError",
    "Line",
    "PastCare",
    "RulesDataError",
    "Totals",
    "UnknownActError",
    "UnknownFormulaError",
    "YearUsage",
    "compute",
    "counters",
    "get_act",
    "get_formula",
    "list_acts",
    "list_formulas",
    "load_rules",
    "past_care_of_payment",
    "rules_date",
    "rules_known_until",
    "search_acts",
]
