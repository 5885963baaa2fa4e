"""« Mes garanties »: her formula's table, generated from the engine's own data, each line
with an example in euros computed by the engine."""

from __future__ import annotations

from domain.membership import member_context
from shared.identity import Caller


def guarantees(caller: Caller):
    from engine.guarantees import table

    ctx = member_context(caller.member)
    return table(ctx.active_contract().formula_id, ctx.on)


def comparison(on):
    from engine.guarantees import comparison as all_formulas

    return all_formulas(on)
