"""The table of guarantees: an example whose mutuelle figure a ceiling lowered says which
ceiling, so that « forfait de 250 € » beside « mutuelle 100 € » never reads as a mistake (issue
18, defect 8)."""

from __future__ import annotations

from datetime import date

import pytest

from engine.catalogue import list_formulas
from engine.guarantees import table

ON = date(2026, 6, 1)


def lines(formula_id: str) -> dict:
    return {line.key: line for category in table(formula_id, ON).categories
            for line in category.lines}


@pytest.mark.parametrize("formula_id", [f.id for f in list_formulas(ON)])
def test_the_frame_example_names_the_contrat_responsable_cap(formula_id: str) -> None:
    frame = lines(formula_id)["optics_frame"].example
    assert frame.price_cents == 15000 and frame.mutual_cents == 10000
    assert frame.cap is not None
    assert "100,00 €" in frame.cap.replace("\u00a0", " ")
    assert "monture" in frame.cap and "contrat responsable" in frame.cap
    assert "contrat responsable" in frame.sentence


def test_a_formula_s_own_limit_is_named_where_it_sets_the_figure() -> None:
    equilibre = lines("equilibre")
    room = equilibre["hospital_private_room"].example
    assert room.mutual_cents == 5000 and "50,00" in room.cap and "par jour" in room.cap
    osteo = equilibre["alternative_medicine"].example
    assert osteo.mutual_cents == 4000 and "40,00" in osteo.cap and "par séance" in osteo.cap


@pytest.mark.parametrize("formula_id", [f.id for f in list_formulas(ON)])
def test_no_cap_is_named_where_none_set_the_figure(formula_id: str) -> None:
    for key, line in lines(formula_id).items():
        example = line.example
        if example is None or example.cap is None:
            continue
        # A named cap is the figure: the mutuelle pays exactly the ceiling's amount.
        assert example.out_of_pocket_cents > 0, key
    gp = lines(formula_id)["consultation_gp"].example
    assert gp.cap is None and "plafonné" not in gp.sentence
