"""One upload mechanism for every attachment of every kind of request.

1. A ticket: a presigned POST for one exact key under `incoming/`, with the declared type and
   the declared size (exactly) in its policy.
2. The browser sends the file straight to S3.
3. Confirmation checks what was stored by its content — a PDF opens as a PDF and carries no
   active content, an image decodes as the declared image type — then copies that very version
   (the bucket is versioned) to its final key under `members/<id>/` (which no ticket covers) and
   removes the incoming object: what is kept is what was checked, even if the ticket, still
   valid, sent something else meanwhile; once checked, the file is out of reach of the ticket.
4. A request attaches ready uploads (in the same transaction as the request itself).
"""

from __future__ import annotations

import io
import unicodedata
import warnings
from datetime import timedelta

from domain.attachments import UploadItem, expired, get_upload, upload_sk
from domain.documents import document_for, put_operation
from domain.procurations import by
from shared import clock
from shared.errors import Conflict, NotFound, ServiceUnavailable, Unprocessable
from shared.ids import new_id
from shared.observability import count, logger
from shared.settings import get_settings
from support import repository
from support.models import (
    ALLOWED_TYPES,
    TYPE_NAMES,
    UploadIn,
    UploadLimits,
    UploadOut,
    UploadTicket,
)

VALIDITY = timedelta(hours=24)  # an upload not attached to a request within a day expires
MAX_IMAGE_PIXELS = 60_000_000  # a phone photo is ~12 Mpx; more is a decompression bomb

def _mb(nbytes: int) -> str:
    return f"{nbytes // (1024 * 1024)} Mo"


def incoming_key(member_id: str, upload_id: str, ext: str) -> str:
    return f"incoming/{member_id}/{upload_id}.{ext}"


def final_key(member_id: str, upload_id: str, ext: str) -> str:
    return f"members/{member_id}/uploads/{upload_id}.{ext}"


def out(u: UploadItem) -> UploadOut:
    return UploadOut(id=u.id, status=u.status, filename=u.filename, size=u.size,
                     content_type=u.content_type)


def limits() -> UploadLimits:
    settings = get_settings()
    return UploadLimits(max_bytes=settings.upload_max_bytes, max_files=settings.upload_max_files,
                        content_types=list(ALLOWED_TYPES), type_names=TYPE_NAMES)


def create_ticket(member_id: str, data: UploadIn) -> UploadTicket:
    settings = get_settings()
    # A name is shown to advisors and reaches download headers (made safe there): a control
    # character (a line break, say) is refused rather than stored.
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp") for c in data.filename):
        raise Unprocessable("Le nom de ce fichier contient des caractères invisibles (retour à "
                            "la ligne, tabulation…) : renommez-le puis déposez-le à nouveau.",
                            code="upload_filename",
                            fields={"filename": "caractères invisibles dans le nom"})
    if data.content_type not in ALLOWED_TYPES:
        raise Unprocessable(f"Ce type de fichier n'est pas accepté : envoyez un {TYPE_NAMES}.",
                            code="upload_type", fields={"content_type": "type non accepté"})
    if data.size > settings.upload_max_bytes:
        raise Unprocessable(f"Ce fichier est trop volumineux : {_mb(settings.upload_max_bytes)}"
                            f" au maximum par fichier.", code="upload_too_large",
                            fields={"size": "fichier trop volumineux"})
    upload_id, created = new_id("U")
    key = incoming_key(member_id, upload_id, ALLOWED_TYPES[data.content_type])
    now = clock.now()
    upload = UploadItem(id=upload_id, created_at=created,
                        expires_at=(now + VALIDITY).isoformat(timespec="seconds"),
                        filename=data.filename, content_type=data.content_type,
                        declared_size=data.size, s3_key=key, status="pending", by=by())
    post = repository.presigned_post(key, data.content_type, data.size, settings.presign_seconds)
    repository.put_new({**upload.model_dump(mode="json"), "pk": f"MEMBER#{member_id}",
             "sk": upload_sk(upload_id), "type": "upload"})
    return UploadTicket(id=upload_id, url=post["url"], fields=post["fields"],
                        expires_at=(now + timedelta(seconds=settings.presign_seconds))
                        .isoformat(timespec="seconds"), max_bytes=settings.upload_max_bytes)


# The first bytes of each type. A browser sniffs the start of a file (HTML there is run as a
# page), while pypdf, lenient, finds a PDF header after anything: a file must start as its type.
MAGIC = {"application/pdf": b"%PDF-", "image/jpeg": b"\xff\xd8\xff",
         "image/png": b"\x89PNG\r\n\x1a\n"}
# What makes a PDF act rather than show: scripts, launching programs, embedded files, media,
# XFA forms, actions run on opening or on events (/AA). A plain /OpenAction that only opens a
# page (as most generators write) is no action; one that runs a script is caught by /S or /JS.
_ACTIVE_KEYS = {"/JS", "/JavaScript", "/AA", "/Launch", "/EmbeddedFile", "/EmbeddedFiles",
                "/EF", "/RichMedia", "/RichMediaContent", "/XFA"}
_ACTIVE_NAMES = {"/JavaScript", "/Launch", "/RichMedia", "/RichMediaExecute", "/EmbeddedFile",
                 "/FileAttachment"}
MAX_PDF_OBJECTS = 200_000  # a scanned document has a few per page


def _active_content(reader) -> bool:
    """Whether anything reachable from the PDF's catalog (pages, annotations, names, forms)
    carries active content."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    pending = [reader.trailer.raw_get("/Root")]
    while pending:
        obj = pending.pop()
        if isinstance(obj, IndirectObject):
            if (obj.idnum, obj.generation) in seen:
                continue
            seen.add((obj.idnum, obj.generation))
            if len(seen) > MAX_PDF_OBJECTS:
                raise ValueError("too many objects")
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            for key in obj:
                value = obj.raw_get(key)
                if key in _ACTIVE_KEYS or (key in ("/S", "/Subtype", "/Type")
                                           and value in _ACTIVE_NAMES):
                    return True
                pending.append(value)
        elif isinstance(obj, ArrayObject):
            pending.extend(obj)
    return False


def content_problem(data: bytes, content_type: str) -> str | None:
    """Why the stored bytes are not a usable file of the declared type, or None.

    Checked by opening the file, and beyond: it must start with its type's magic number (a
    browser sniffs the first bytes, so an HTML page with a PDF after it would be a page), and a
    PDF must carry no active content (a script or an embedded file that runs or opens on the
    advisor's computer when the document is opened)."""
    if content_type == "application/pdf":
        from pypdf import PdfReader

        if not data.startswith(MAGIC[content_type]):
            return ("Ce fichier ne commence pas comme un PDF (il contient autre chose avant le "
                    "document) : enregistrez-le à nouveau au format PDF depuis le logiciel qui "
                    f"l'a créé, ou envoyez un {TYPE_NAMES}.")
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                return ("Ce PDF est protégé par un mot de passe : envoyez une version sans "
                        "mot de passe.")
            if len(reader.pages) == 0:
                return "Ce PDF ne contient aucune page."
            active = _active_content(reader)
        except Exception:  # pypdf raises many kinds of errors on garbage  # noqa: BLE001
            return f"Le contenu de ce fichier n'est pas un PDF lisible : envoyez un {TYPE_NAMES}."
        if active:
            return ("Ce PDF contient des éléments actifs (script, fichier intégré, média ou "
                    "formulaire dynamique), refusés par sécurité : ouvrez-le, choisissez "
                    "« Imprimer » puis « Enregistrer au format PDF » et déposez ce nouveau "
                    "fichier, ou envoyez une photo du document (JPEG ou PNG).")
        return None
    from PIL import Image

    expected = {"image/jpeg": "JPEG", "image/png": "PNG"}.get(content_type)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
            with Image.open(io.BytesIO(data)) as image:
                found = image.format
                image.verify()
    except Exception:  # Pillow raises many kinds of errors on garbage  # noqa: BLE001
        return f"Le contenu de ce fichier n'est pas une image lisible : envoyez un {TYPE_NAMES}."
    if found != expected:
        return (f"Ce fichier est une image {found or 'inconnue'}, pas une image "
                f"{expected} comme annoncé : envoyez un {TYPE_NAMES}.")
    if not data.startswith(MAGIC[content_type]):
        return (f"Ce fichier ne commence pas comme une image {expected} : enregistrez-le à "
                f"nouveau depuis votre appareil photo ou votre logiciel, ou envoyez un "
                f"{TYPE_NAMES}.")
    return None


def confirm(member_id: str, upload_id: str) -> UploadOut:
    settings = get_settings()
    upload = get_upload(member_id, upload_id)
    if upload is None:
        raise NotFound("Ce fichier est introuvable : déposez-le à nouveau.")
    if upload.status in ("ready", "attached"):
        return out(upload)
    if upload.status == "rejected":
        raise Unprocessable("Ce fichier a été refusé : déposez un autre fichier.",
                            code="upload_rejected")
    if expired(upload):
        raise Unprocessable("Le dépôt de ce fichier a expiré : déposez-le à nouveau.",
                            code="upload_expired")
    stored = repository.read_version(upload.s3_key, settings.upload_max_bytes)
    if stored is None:
        raise Unprocessable("Le fichier n'est pas arrivé : déposez-le à nouveau.",
                            code="upload_missing")
    data = stored.data
    problem = None
    if len(data) > settings.upload_max_bytes or len(data) != upload.declared_size:
        problem = ("upload_size", f"Ce fichier n'a pas la taille annoncée ou dépasse "
                   f"{_mb(settings.upload_max_bytes)} : déposez-le à nouveau.")
    else:
        reason = content_problem(data, upload.content_type)
        if reason:
            problem = ("upload_type", reason)
    key = f"MEMBER#{member_id}", upload_sk(upload_id)
    if problem:
        count("UploadRefused")
        repository.delete_object(upload.s3_key)
        repository.transact([{"update": {"key": {"pk": key[0], "sk": key[1]},
                              "set": {"status": "rejected"}, "condition": ("status", "pending")}}])
        raise Unprocessable(problem[1], code=problem[0])
    checked = final_key(member_id, upload_id, ALLOWED_TYPES[upload.content_type])
    try:
        # The version that was checked, not whatever the ticket sent since.
        repository.copy_object(upload.s3_key, checked, exactly=stored)
    except Conflict:
        # That version is gone (or, in a bucket without versions, the object changed during
        # the check). Nothing was kept and the upload stays pending, so that confirming again
        # checks what is there now: refusing it for good would gain nothing.
        raise Conflict("Ce fichier a été remplacé pendant sa vérification : déposez-le à "
                       "nouveau.", code="upload_replaced") from None
    # What she sent is one of her documents (« Mes documents »), from now on.
    sent = document_for(member_id, kind="upload", title=upload.filename,
                        content_type=upload.content_type, size=len(data), source=upload_id)
    try:
        repository.transact([{"update": {"key": {"pk": key[0], "sk": key[1]},
                              "set": {"status": "ready", "size": len(data), "s3_key": checked},
                              "condition": ("status", "pending")}},
                  put_operation(member_id, sent.model_copy(update={"s3_key": checked}))])
    except Conflict:
        # Confirmed meanwhile by another call (a retry, a second tab): the checked copy is
        # that confirmation's file, which stays.
        current = get_upload(member_id, upload_id)
        if current is not None and current.status in ("ready", "attached"):
            return out(current)
        _quietly(repository.delete_object, checked)
        raise
    except Exception:
        # Nothing half-written: the upload is still pending.
        _quietly(repository.delete_object, checked)
        raise
    # The incoming copy is out of use; should this fail, the bucket's lifecycle removes it.
    _quietly(repository.delete_object, upload.s3_key)
    return out(upload.model_copy(update={"status": "ready", "size": len(data),
                                         "s3_key": checked}))


def _quietly(action, *args) -> None:
    try:
        action(*args)
    except ServiceUnavailable:
        logger.warning("cleanup failed", extra={"action": action.__name__})
