"""Routes of the claims function: « Mes remboursements », estimates, requests, statements."""

from datetime import date
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from claims import demands, estimates, logic, statement_export
from claims.models import (
    ActPage,
    ClaimDetail,
    ClaimPage,
    CountersPage,
    EstimateIn,
    EstimateOut,
    EstimatePage,
    ReimbursementRequestIn,
    ReimbursementRequestOut,
    ReimbursementRequestPage,
    StatementExportIn,
    StatementExportOut,
    StatementMonthPage,
    UploadIn,
    UploadLimits,
    UploadOut,
    UploadTicket,
)
from shared.http import caller, created, entry_point, idempotency_key, make_app, no_content
from shared.idempotency import run_once

app = make_app()


def created_as(model, description: str) -> dict:
    """OpenAPI: the 201 answer of a creating route (its return annotation can't say 201)."""
    return {201: {"description": description, "content": {"application/json": {"model": model}}}}


Limit = Annotated[int, Query(ge=1, le=100)]
Cursor = Annotated[str | None, Query(max_length=2000)]
Id = Annotated[str, Path(max_length=60)]


@app.get("/claims")
def list_claims(
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
    beneficiary: Annotated[str | None, Query(max_length=40)] = None,
    cursor: Cursor = None,
    limit: Limit = 20,
) -> ClaimPage:
    return logic.list_claims(caller(app), date_from=date_from, date_to=date_to,
                             beneficiary_id=beneficiary, cursor=cursor, limit=limit)


@app.get("/claims/acts")
def search_acts(q: Annotated[str, Query(min_length=1, max_length=80)] = "",
                on: Annotated[date | None, Query()] = None) -> ActPage:
    caller(app)
    return logic.search_acts(q, on)


@app.get("/claims/counters")
def counters(year: Annotated[int | None, Query()] = None) -> CountersPage:
    return logic.counters(caller(app), year)


def create_once(operation: str, body, output, create):
    """Create at most once per Idempotency-Key: a replay answers the first result."""
    who = caller(app)
    return created(run_once(operation=operation, member_id=who.member_pk,
                            key=idempotency_key(app), payload=body.model_dump(mode="json"),
                            output=output, action=lambda: create(who, body),
                            lambda_context=app.lambda_context))


@app.post("/claims/estimates", responses=created_as(EstimateOut, "Estimation enregistrée"))
def create_estimate(body: EstimateIn):
    return create_once("estimate", body, EstimateOut, estimates.create_estimate)


@app.get("/claims/estimates")
def list_estimates(cursor: Cursor = None, limit: Limit = 20) -> EstimatePage:
    return estimates.list_estimates(caller(app), cursor, limit)


@app.get("/claims/estimates/<estimate_id>")
def get_estimate(estimate_id: Id) -> EstimateOut:
    return estimates.get_estimate(caller(app), estimate_id)


@app.delete("/claims/estimates/<estimate_id>",
            responses={204: {"description": "Estimation supprimée"}})
def delete_estimate(estimate_id: Id):
    estimates.delete_estimate(caller(app), estimate_id)
    return no_content()


@app.get("/claims/uploads/limits")
def upload_limits() -> UploadLimits:
    caller(app)
    return demands.upload_limits()


@app.post("/claims/uploads", responses=created_as(UploadTicket, "Autorisation de dépôt"))
def create_upload(body: UploadIn):
    return created(demands.create_upload(caller(app), body))


@app.post("/claims/uploads/<upload_id>/confirm")
def confirm_upload(upload_id: Id) -> UploadOut:
    return demands.confirm_upload(caller(app), upload_id)


@app.post("/claims/requests",
          responses=created_as(ReimbursementRequestOut, "Demande de remboursement reçue"))
def create_request(body: ReimbursementRequestIn):
    return create_once("reimbursement_request", body, ReimbursementRequestOut,
                       demands.create_request)


@app.get("/claims/requests")
def list_requests(cursor: Cursor = None, limit: Limit = 20) -> ReimbursementRequestPage:
    return demands.list_requests(caller(app), cursor, limit)


@app.get("/claims/requests/<request_id>")
def get_request(request_id: Id) -> ReimbursementRequestOut:
    return demands.get_request(caller(app), request_id)


@app.get("/claims/statements")
def list_statements() -> StatementMonthPage:
    return statement_export.list_months(caller(app))


@app.post("/claims/statements/exports",
          responses=created_as(StatementExportOut, "Relevé généré, lien de téléchargement"))
def export_statement(body: StatementExportIn):
    return created(statement_export.export(caller(app), body))


@app.get("/claims/<claim_id>")
def get_claim(claim_id: Id) -> ClaimDetail:
    return logic.get_claim(caller(app), claim_id)


lambda_handler = entry_point(app)
