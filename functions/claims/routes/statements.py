"""Routes of « Mes relevés de prestations »."""

from claims.logic import statements
from claims.models import StatementExportIn, StatementExportOut, StatementMonth
from shared.http import CurrentCaller, Page, Router, created, created_as

router = Router()


@router.get("/claims/statements")
def list_statements(who: CurrentCaller) -> Page[StatementMonth]:
    return statements.list_months(who)


@router.post("/claims/statements/exports",
             responses=created_as(StatementExportOut, "Relevé généré, lien de téléchargement"))
def export_statement(who: CurrentCaller, body: StatementExportIn):
    return created(statements.export(who, body))
