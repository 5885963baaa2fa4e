"""Demo sign-ins (« Mes connexions »): what the history shows on the first start, before the
demo member signs in herself. Stored as the members function stores them (masked address,
device in words, country from CloudFront), dated relative to now."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from members.logic.history import RETENTION_SECONDS
from members.models import LoginItem
from members.repository import login_sk
from shared.ids import iso_paris

# (days ago, hour, device, kind, masked address, country)
SIGN_INS = {
    "2024001871": [
        (1, 20, "Chrome sur Android", "phone", "92.184.105.xxx", "FR"),
        (3, 9, "Firefox sur Windows", "computer", "86.246.31.xxx", "FR"),
        (9, 21, "Chrome sur Android", "phone", "92.184.105.xxx", "FR"),
        (16, 14, "Safari sur iPhone", "phone", "81.47.203.xxx", "ES"),
        (23, 8, "Firefox sur Windows", "computer", "86.246.31.xxx", "FR"),
        (40, 19, "Chrome sur Android", "phone", None, None),
        (57, 10, "Edge sur Windows", "computer", "2a01:cb19:8ad:…", "FR"),
        (75, 18, "Chrome sur Android", "phone", "92.184.105.xxx", "FR"),
        (96, 12, "Firefox sur Windows", "computer", "86.246.31.xxx", "FR"),
        (130, 17, "Safari sur iPad", "tablet", "2a01:e0a:1f3:…", "FR"),
        (171, 9, "Firefox sur Windows", "computer", "86.246.31.xxx", "FR"),
        (222, 20, "Chrome sur Android", "phone", "92.184.105.xxx", "FR"),
    ],
    "2023004412": [
        (2, 18, "Firefox sur Linux", "computer", "78.192.44.xxx", "FR"),
        (30, 11, "Chrome sur Android", "phone", "37.171.12.xxx", "FR"),
    ],
}


def login_items(now: datetime) -> list[dict[str, Any]]:
    items = []
    for member_id, sign_ins in SIGN_INS.items():
        for days, hour, device, kind, ip, country in sign_ins:
            moment = (now - timedelta(days=days)).replace(hour=hour, minute=12, second=0,
                                                          microsecond=0)
            at = int(moment.timestamp())
            login_id = hashlib.sha256(f"demo-{member_id}-{days}".encode()).hexdigest()[:20]
            login = LoginItem(id=login_id, at=iso_paris(moment.astimezone(UTC)), device=device,
                              device_kind=kind, ip=ip, country=country)
            items.append({**login.model_dump(mode="json", exclude_none=True),
                          "pk": f"MEMBER#{member_id}", "sk": login_sk(at, login_id),
                          "type": "login", "ttl": at + RETENTION_SECONDS})
    return items
