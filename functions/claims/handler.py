"""Routes of the claims function: « Mes remboursements »."""

from datetime import date
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from shared.http import caller, entry_point, make_app

from claims import logic
from claims.models import ClaimDetail, ClaimPage

app = make_app()


@app.get("/claims")
def list_claims(
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
    beneficiary: Annotated[str | None, Query(max_length=40)] = None,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> ClaimPage:
    return logic.list_claims(caller(app), date_from=date_from, date_to=date_to,
                             beneficiary_id=beneficiary, cursor=cursor, limit=limit)


@app.get("/claims/<claim_id>")
def get_claim(claim_id: Annotated[str, Path(max_length=40)]) -> ClaimDetail:
    return logic.get_claim(caller(app), claim_id)


lambda_handler = entry_point(app)
