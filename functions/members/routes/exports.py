"""Routes of « Télécharger mes données »: ask for the file, follow its preparation, get a short
link to it once ready."""

from members.logic import exports
from members.models import DataExportIn, DataExportLinkOut, DataExportOut
from shared.http import (
    CurrentCaller,
    Cursor,
    IdempotencyKey,
    Limit,
    Page,
    PathId,
    Router,
    create_once,
    created_as,
)

router = Router()


@router.post("/members/me/exports",
             responses=created_as(DataExportOut, "Préparation du fichier lancée"))
def request_export(who: CurrentCaller, body: DataExportIn, key: IdempotencyKey):
    return create_once(router, who=who, operation="data_export", key=key, body=body,
                       output=DataExportOut, create=lambda: exports.request_export(who, key))


@router.get("/members/me/exports")
def list_exports(who: CurrentCaller, cursor: Cursor = None,
                 limit: Limit = 5) -> Page[DataExportOut]:
    return exports.list_exports(who, cursor, limit)


@router.get("/members/me/exports/<export_id>/link")
def export_link(who: CurrentCaller, export_id: PathId) -> DataExportLinkOut:
    return exports.export_link(who, export_id)
