"""« Télécharger mes données » (RGPD, articles 15 and 20): all her data as a ZIP of JSON files
and her documents, prepared in the background, offered by a short link, announced by email.

1. The request (POST, Idempotency-Key) hands the work to the export queue (delivered a second
   later), then writes the export « en préparation » and takes her export lock in one
   transaction (one preparation at a time). A queue refusing the work leaves nothing written;
   a creation failing after the message left makes the worker find no export and drop it.
2. The worker (members.worker, the queue's event source) reads everything under her member
   number in one Query, writes the archive to a temporary file, stores it under her prefix in
   the documents bucket (tagged for the lifecycle rule that removes it after a day), then marks
   the export ready and frees the lock together, and emails her that it is ready.
3. A failure is retried by the queue; the last attempt marks the export failed (the page offers
   to ask again). The archive is offered only once complete: a half-written one is never
   « ready ». An export still preparing after its deadline is shown as failed.
"""

from __future__ import annotations

import json
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from domain.fhir import outbound
from domain.membership import load_file, member_context
from domain.notifications import send
from members import repository
from members.models import (
    DataExportItem,
    DataExportLinkOut,
    DataExportOut,
    ExportMessage,
)
from shared import clock, idempotency
from shared.dates import PARIS
from shared.errors import Conflict, NotFound
from shared.http import Page
from shared.identity import Caller
from shared.ids import iso_paris, new_id
from shared.observability import count, logger
from shared.settings import get_settings

OPERATION = "data_export"
AVAILABLE = timedelta(hours=24)  # the link is offered this long after the file is ready
DEADLINE = timedelta(minutes=30)  # the queue's attempts (3 × the worker's timeout) fit in it
KEEP_RECORD = timedelta(days=90)  # the export's line in her list, then it goes (TTL)
MAX_ATTEMPTS = 3  # the queue's maxReceiveCount (template.yaml): the last one marks a failure
MAX_DOCUMENT_BYTES = 25 * 1024 * 1024  # one document (uploads are 10 Mo at most)
MAX_TOTAL_BYTES = 300 * 1024 * 1024  # all documents of one archive (the worker's /tmp)
TIME_RESERVE_MS = 15_000  # left to store the archive and record it

STATUS_LABELS = {"preparing": "En préparation", "ready": "Prête", "failed": "Échec",
                 "expired": "Expirée"}


# ------------------------------------------------------------------------------ the API side
def _state(export: DataExportItem, now: datetime) -> str:
    if export.status == "preparing" and now.timestamp() > export.deadline:
        return "failed"
    if export.status == "ready" and export.available_until and \
            now >= datetime.fromisoformat(export.available_until):
        return "expired"
    return export.status


def _out(export: DataExportItem, now: datetime) -> DataExportOut:
    state = _state(export, now)
    return DataExportOut(id=export.id, status=state, status_label=STATUS_LABELS[state],
                         created_at=export.created_at, ready_at=export.ready_at,
                         available_until=export.available_until,
                         size=export.size if state == "ready" else None,
                         documents=export.documents)


def _lock_taken(member_id: str, now: datetime) -> bool:
    lock = next((i for i in load_file(member_id) if i.get("sk") == repository.EXPORT_LOCK),
                None)
    return bool(lock) and not lock.get("done") and int(lock.get("until", 0)) > now.timestamp()


def request_export(caller: Caller, key: str | None) -> DataExportOut:
    member_id = caller.member
    now = clock.now()
    if _lock_taken(member_id, now):
        earlier = _created_before(caller, key)
        if earlier is None:
            raise repository.ExportInProgress()
        return _out(earlier, now)
    export_id, created = new_id("X", now)
    export = DataExportItem(id=export_id, created_at=created, status="preparing",
                            deadline=int((now + DEADLINE).timestamp()))
    # The work is queued first, delivered a moment later: when the queue refuses it nothing is
    # written; when the creation then fails, the worker finds no export and lets it go.
    repository.enqueue_export(ExportMessage(member_id=member_id, export_id=export_id))
    try:
        repository.create_export(
            member_id, export, now=int(now.timestamp()),
            keep_until=int((now + KEEP_RECORD).timestamp()),
            extra=idempotency.marker(caller.member_pk, OPERATION, key, export_id))
    except repository.ExportInProgress:
        raise
    except Conflict:
        earlier = _created_before(caller, key)
        if earlier is None:
            raise
        return _out(earlier, now)
    count("DataExportRequested")
    return _out(export, now)


def _created_before(caller: Caller, key: str | None) -> DataExportItem | None:
    """The export this Idempotency-Key already created (its answer was lost), if any."""
    first = idempotency.created_before(caller.member_pk, OPERATION, key)
    return repository.get_export(caller.member, first) if first else None


def list_exports(caller: Caller, cursor: str | None, limit: int) -> Page[DataExportOut]:
    items, nxt = repository.exports(caller.member, cursor, limit)
    now = clock.now()
    return Page[DataExportOut](items=[_out(i, now) for i in items], next=nxt)


def export_link(caller: Caller, export_id: str) -> DataExportLinkOut:
    export = repository.get_export(caller.member, export_id)
    if export is None:
        raise NotFound("Ce fichier de données est introuvable.")
    now = clock.now()
    state = _state(export, now)
    if state == "expired":
        raise Conflict("Ce fichier n'est plus disponible : il est supprimé 24 heures après sa "
                       "préparation. Demandez un nouvel export de vos données.",
                       code="export_expired")
    if state != "ready" or not export.s3_key:
        raise Conflict("Ce fichier n'est pas prêt : attendez le courriel qui vous préviendra, "
                       "ou demandez un nouvel export s'il a échoué.", code="export_not_ready")
    seconds = get_settings().presign_seconds
    filename = f"mes-donnees-{datetime.fromisoformat(export.created_at):%Y-%m-%d}.zip"
    url = repository.archive_link(export.s3_key, filename, seconds)
    return DataExportLinkOut(url=url, filename=filename,
                             expires_at=iso_paris(now + timedelta(seconds=seconds)))


# ---------------------------------------------------------------------------- the archive
# Each kind of stored item (its `type`), the file of the archive it goes to. Everything stored
# under her member number goes somewhere: a kind not listed here lands in « autres.json ».
SECTIONS: dict[str, str] = {
    "profile": "profil.json",
    "contract": "contrats.json",
    "beneficiary": "beneficiaires.json",
    "card": "carte-tiers-payant.json",
    "contribution": "cotisations.json",
    "overpayment": "trop-percus.json",
    "claim": "remboursements.json",
    "estimate": "estimations.json",
    "request": "demandes.json",
    "thread": "messages.json",
    "thread_message": "messages.json",
    "callback": "rappels.json",
    "preferences": "preferences.json",
    "contact_preferences": "preferences.json",
    "consent": "preferences.json",
    "consents": "preferences.json",
    "login": "connexions.json",
    "document": "documents.json",
    "upload": "documents.json",
    "audit": "journal-des-acces.json",
}
# Working markers, not data about her: sessions closed or seen, idempotency keys, locks, and
# the account's one-time codes (hashed, short-lived) and link to its sign-in.
TECHNICAL = {"session", "signout", "session_seen", "idempotency", "callback_next",
             "export", "export_lock", "email_change", "signup", "password_reset",
             "account_link"}
STORAGE_KEYS = {"pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "ttl", "type"}
README = "LISEZMOI.txt"
# Her file, reimbursements and contributions as one FHIR R4B Bundle (docs/integration.md):
# what another mutuelle's system reads. Built as plain JSON by domain.fhir.outbound (the tests
# validate it with fhir.resources, which this function does not carry).
FHIR = "fhir.json"


@dataclass(frozen=True)
class DocumentFile:
    key: str  # in the documents bucket
    path: str  # in the archive
    title: str


@dataclass
class Archive:
    """What the ZIP holds: JSON files by name, and the documents to copy into it."""

    files: dict[str, Any] = field(default_factory=dict)
    documents: list[DocumentFile] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # keys outside her prefix (never copied)


def _clean(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in STORAGE_KEYS}


def _slug(text: str, limit: int = 60) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-").lower()[:limit] or "document"


def _extension(key: str) -> str:
    ext = key.rsplit(".", 1)[-1].lower() if "." in key.rsplit("/", 1)[-1] else ""
    return ext if re.fullmatch(r"[a-z0-9]{1,5}", ext) else "bin"


def archive_contents(items: list[dict[str, Any]], member_id: str) -> Archive:
    """Sort her stored items into the archive's files; documents (filed or uploaded) get a
    place in `documents/` and their entry says where. Only files under her own prefix."""
    archive = Archive()
    sections: dict[str, list[Any]] = {}
    threads: dict[str, dict[str, Any]] = {}
    messages: list[dict[str, Any]] = []
    others: dict[str, list[Any]] = {}
    prefix = f"members/{member_id}/"
    for item in items:
        kind = str(item.get("type") or "")
        if kind in TECHNICAL or item.get("sk", "").startswith("IDEM#"):
            continue
        entry = _clean(item)
        if kind in ("document", "upload"):
            key = str(entry.pop("s3_key", "") or "")
            if kind == "upload" and entry.get("status") not in ("ready", "attached"):
                continue  # never confirmed: no file of hers was kept
            if key.startswith(prefix) and ".." not in key:
                title = str(entry.get("title") or entry.get("filename") or "document")
                day = str(entry.get("created_at") or "")[:10]
                name = f"documents/{day}-{_slug(title.removesuffix('.' + _extension(key)))}" \
                       f"-{_slug(str(entry.get('id') or ''), 40)}.{_extension(key)}"
                archive.documents.append(DocumentFile(key=key, path=name, title=title))
                entry["fichier"] = name
            elif key:
                archive.refused.append(key)
            entry["nature"] = "Document envoyé" if kind == "upload" else "Document"
        if kind == "thread":
            threads[str(entry.get("id"))] = {**entry, "messages": []}
            continue
        if kind == "thread_message":
            messages.append(entry)
            continue
        if kind == "profile":
            archive.files[SECTIONS[kind]] = entry
            continue
        name = SECTIONS.get(kind)
        if name is None:
            others.setdefault(kind or "inconnu", []).append(entry)
            continue
        sections.setdefault(name, []).append(entry)
    for message in messages:
        thread = threads.get(str(message.get("thread_id")))
        if thread is None:
            others.setdefault("thread_message", []).append(message)
        else:
            thread["messages"].append(message)
    if threads:
        sections["messages.json"] = list(threads.values())
    archive.files.update(sections)
    if others:
        archive.files["autres.json"] = others
    return archive


def readme(member_name: str, made_at: datetime, archive: Archive,
           left_out: list[tuple[DocumentFile, str]], brand: str) -> str:
    lines = [
        f"Vos données personnelles — {brand}",
        "",
        f"Fichier préparé pour {member_name} le "
        f"{made_at.astimezone(PARIS):%d/%m/%Y à %H:%M} (heure de Paris),",
        "à votre demande, au titre de vos droits d'accès et de portabilité (RGPD, articles 15 "
        "et 20).",
        "",
        "Les fichiers .json sont du texte structuré (JSON), fait pour être relu par un programme "
        "ou un autre service ;",
        "un éditeur de texte les affiche, un tableur ne les ouvre pas tels quels. Les montants y "
        "sont en centimes d'euro",
        "(« 2350 » pour 23,50 €) et les dates au format AAAA-MM-JJ.",
        "",
        "Contenu :",
    ]
    described = {
        "profil.json": "votre identité et vos coordonnées",
        "contrats.json": "votre contrat, sa formule, ses dates",
        "beneficiaires.json": "les personnes couvertes par votre contrat",
        "carte-tiers-payant.json": "votre carte de tiers payant",
        "cotisations.json": "vos cotisations et leurs paiements",
        "trop-percus.json": "les sommes versées en trop que la mutuelle vous a demandé de "
                            "rembourser, et ce que vous en avez fait",
        "remboursements.json": "vos remboursements et le détail de chaque ligne",
        "estimations.json": "vos estimations de remboursement",
        "demandes.json": "vos demandes et leur historique",
        "messages.json": "vos conversations avec nos conseillers",
        "rappels.json": "vos demandes de rappel",
        "preferences.json": "vos préférences de contact et vos consentements",
        "connexions.json": "l'historique de vos connexions (12 derniers mois)",
        "documents.json": "la liste de vos documents ; les fichiers sont dans le dossier "
                          "documents/",
        "journal-des-acces.json": "le journal des consultations et modifications de votre "
                                  "dossier",
        "autres.json": "les autres informations conservées à votre sujet",
        FHIR: "votre identité, votre contrat, vos bénéficiaires, vos remboursements, vos "
              "cotisations et vos trop-perçus au format international HL7 FHIR (version R4B), "
              "à remettre à une autre mutuelle ; les montants y sont en euros (« 23.5 » pour "
              "23,50 €)",
    }
    for name in sorted(archive.files):
        lines.append(f"- {name} : {described.get(name, 'informations vous concernant')}")
    included = len(archive.documents) - len(left_out)
    lines.append(f"- documents/ : {included} document{'s' if included > 1 else ''}")
    if left_out:
        lines += ["", "Documents non inclus (téléchargez-les depuis votre espace, rubrique "
                  "« Mes documents ») :"]
        lines += [f"- {doc.title} : {reason}" for doc, reason in left_out]
    lines += ["", "Pour toute question sur vos données, écrivez à notre délégué à la "
              "protection des données (coordonnées", "sur la page « Données personnelles » "
              "du site)."]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------ the worker
class OutOfTime(Exception):
    """The worker's time is nearly over: the queue tries again."""


def prepare(message: ExportMessage, *, attempt: int,
            time_left_ms: Callable[[], int]) -> None:
    """Prepare one export (the worker's record handler). Raises to have the queue try again;
    on the last attempt, marks the export failed instead."""
    export = repository.get_export(message.member_id, message.export_id)
    if export is None:
        # Its creation failed after the message was sent: nothing to prepare.
        logger.info("no such export", extra={"export_id": message.export_id})
        return
    if export.status != "preparing":
        logger.info("export already handled", extra={"export_id": message.export_id})
        return
    try:
        _build_and_store(message.member_id, export, time_left_ms)
    except Exception:
        if attempt < MAX_ATTEMPTS:
            logger.warning("export attempt failed", extra={"export_id": export.id,
                                                           "attempt": attempt})
            raise
        logger.exception("export failed", extra={"export_id": export.id})
        try:
            repository.finish_export(message.member_id, export.id, {
                "status": "failed", "failure": "La préparation n'a pas abouti."})
        except Conflict:
            return  # past its deadline and replaced by a newer export: shown as failed
        count("DataExportFailed")


def _build_and_store(member_id: str, export: DataExportItem,
                     time_left_ms: Callable[[], int]) -> None:
    settings = get_settings()
    ctx = member_context(member_id)
    items = repository.member_items(member_id)
    now = clock.now()
    archive = archive_contents(items, member_id)
    archive.files[FHIR] = outbound.bundle(outbound.resources_of(member_id, items,
                                                                brand=settings.brand_name))
    for key in archive.refused:
        logger.warning("document outside the member's prefix left out", extra={"key": key})
    left_out: list[tuple[DocumentFile, str]] = []
    total = 0
    with tempfile.TemporaryFile() as spool:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, content in archive.files.items():
                # FHIR JSON keeps its own order (resourceType first); its amounts are euros.
                zf.writestr(name, outbound.dumps(content, indent=2) if name == FHIR else
                            json.dumps(content, ensure_ascii=False, indent=2, sort_keys=True))
            for doc in archive.documents:
                if time_left_ms() < TIME_RESERVE_MS:
                    raise OutOfTime()
                data = repository.read_document(doc.key, MAX_DOCUMENT_BYTES)
                if data is None:
                    left_out.append((doc, "fichier introuvable"))
                elif len(data) > MAX_DOCUMENT_BYTES or total + len(data) > MAX_TOTAL_BYTES:
                    left_out.append((doc, "trop volumineux pour ce fichier"))
                else:
                    total += len(data)
                    # Already compressed (PDF, JPEG, PNG): stored as they are.
                    zf.writestr(doc.path, data, compress_type=zipfile.ZIP_STORED)
            zf.writestr(README, readme(ctx.member_name, now, archive, left_out,
                                       settings.brand_name))
        size = spool.tell()
        spool.seek(0)
        key = f"members/{member_id}/exports/{export.id}.zip"
        repository.store_archive(key, spool)
    ready = clock.now()
    until = ready + AVAILABLE
    repository.finish_export(member_id, export.id, {
        "status": "ready", "s3_key": key, "size": size, "ready_at": iso_paris(ready),
        "available_until": iso_paris(until),
        "documents": len(archive.documents) - len(left_out)})
    count("DataExportReady")
    send(member_id, ctx.profile.email, "Vos données sont prêtes à être téléchargées", "\n".join([
        "Bonjour,", "",
        "Le fichier de vos données personnelles que vous avez demandé est prêt. Téléchargez-le "
        "depuis votre espace adhérent, page « Mes connexions et mes données » :",
        f"{settings.site_url}/espace/infos/donnees/", "",
        f"Il y restera disponible jusqu'au {until.astimezone(PARIS):%d/%m/%Y à %H:%M} "
        "(heure de Paris), puis sera supprimé.", "",
        "Si vous n'êtes pas à l'origine de cette demande, changez votre mot de passe et "
        "contactez-nous.", "",
        "Par sécurité, ce message ne contient aucune de vos données.", "",
        settings.brand_name]), reference=export.id)
