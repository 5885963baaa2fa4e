"""« Courriels envoyés »: the emails the functions sent through SES (moto), listed on a page
of the local stack only (/local/courriels/, not in the template), for the demo and the tests.
Newest first."""

from __future__ import annotations

from html import escape
from typing import Any


def sent() -> list[dict[str, Any]]:
    from moto.ses import ses_backends

    messages = []
    for regions in ses_backends.values():
        for backend in regions.values():
            for message in getattr(backend, "sent_messages", []):
                to = [a for kind in ("ToAddresses", "CcAddresses", "BccAddresses")
                      for a in (message.destinations or {}).get(kind, [])]
                messages.append({"id": message.id, "from": message.source, "to": to,
                                 "subject": getattr(message, "subject", ""),
                                 "body": getattr(message, "body", "")})
    return list(reversed(messages))


def page(brand: str) -> str:
    rows = "\n".join(
        f"""<article class="mail">
  <h2>{escape(m["subject"])}</h2>
  <p class="meta">À : {escape(", ".join(m["to"]))} — de : {escape(m["from"])}</p>
  <pre>{escape(m["body"])}</pre>
</article>""" for m in sent())
    count = len(sent())
    summary = ("Aucun courriel n'a encore été envoyé." if not count else
               f"{count} courriel{'s' if count > 1 else ''} envoyé{'s' if count > 1 else ''}"
               ", du plus récent au plus ancien.")
    return f"""<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Courriels envoyés – pile locale – {escape(brand)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 0 auto; max-width: 48rem; padding: 1rem;
       color: #1a1a1a; line-height: 1.5; }}
.note {{ background: #fff4d6; border-left: 4px solid #8a6100; padding: .5rem 1rem; }}
.mail {{ border: 1px solid #c9c9c9; border-radius: 6px; margin: 1rem 0; padding: 0 1rem; }}
.mail h2 {{ font-size: 1.1rem; }}
.meta {{ color: #4a4a4a; }}
pre {{ white-space: pre-wrap; font-family: inherit; }}
</style>
</head>
<body>
<main>
<h1>Courriels envoyés</h1>
<p class="note">Page de la pile locale uniquement : les courriels ne partent pas, ils sont
listés ici pour la démonstration et les tests.</p>
<p id="mail-count">{summary}</p>
{rows}
</main>
</body>
</html>
"""
