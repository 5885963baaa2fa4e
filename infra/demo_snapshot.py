"""The discovery mode's data: what the real API answers the demo member, written as static JSON.

    python -m infra.demo_snapshot OUT_DIR

Seeds moto in this process with the local stack's seed (infra/local/seed.py: same people, same
engine, dates relative to today), calls the real handlers as API Gateway would for the demo
member on the GET paths of MANIFEST (lists followed to their end, each item of a list opened
where a detail page exists, query variants listed), and writes:

  OUT_DIR/manifest.json   {"routes": {path: {"file", "list"?, "filters"?, "variants"?}}, ...}
  OUT_DIR/<file>.json     each answer

The site's API client (assets/js/lib/demo-api.js) serves these files in discovery mode, so a
visitor without an account walks the real pages on the demo member's data, and nothing she
does reaches a server (estimates go to the public, stateless POST /public/estimates).
The site build runs this (site/hooks/demo.py); nothing here is personal: the demo mutuelle is
fictional.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEMO_EMAIL = "fatima.l@example.fr"
YEARS_OF_COUNTERS = 3


@dataclass(frozen=True)
class Entry:
    """One GET path of the snapshot."""
    path: str
    list: bool = False  # follow `next` to the end; the client pages the whole list itself
    detail: str | None = None  # for a list: the path of one item, "{id}" its id
    filters: dict[str, tuple[str, str]] = field(default_factory=dict)  # query -> (field, op)
    variants: tuple[str, ...] = ()  # query strings answered one by one


def manifest(today_year: int) -> list[Entry]:
    """What the member pages read. A path the template does not route is skipped (a page of
    another branch not merged yet), so adding a page here before its function is harmless."""
    years = tuple(f"year={today_year - back}" for back in range(YEARS_OF_COUNTERS))
    return [
        Entry("/members/me"),
        Entry("/members/profile"),
        Entry("/members/procurations"),
        Entry("/claims", list=True, detail="/claims/{id}", filters={
            "from": ("care_date", ">="), "to": ("care_date", "<="),
            "beneficiary": ("beneficiary_id", "==")}),
        Entry("/claims/counters", variants=years),
        Entry("/claims/estimates", list=True, detail="/claims/estimates/{id}"),
        Entry("/claims/statements", list=True),
        Entry("/support/requests", list=True, detail="/support/requests/{id}", filters={
            "kind": ("kind", "=="), "status": ("status", "=="), "q": ("reference", "contains")}),
        Entry("/support/request-kinds"),
        Entry("/support/threads", list=True, detail="/support/threads/{id}"),
        Entry("/support/callbacks", list=True),
        Entry("/support/callback-slots", list=True),
        Entry("/support/wait"),
        Entry("/support/uploads/limits"),
        Entry("/services/teleconsultations", list=True),
        Entry("/contract"),
        Entry("/contract/guarantees"),
        Entry("/contract/contributions"),
        Entry("/contract/card"),
        Entry("/documents", list=True, filters={
            "kind": ("kind", "=="), "beneficiary": ("beneficiary_id", "=="),
            "year": ("year", "==")}),
        Entry("/documents/filters"),
        Entry("/documents/attestations", list=True),
        Entry("/contract/termination"),
        Entry("/contract/card/wallet"),
        Entry("/claims/overpayments", list=True, detail="/claims/overpayments/{id}"),
    ]


class Caller:
    """Calls the functions' handlers in this process, as the gateway would for one member."""

    def __init__(self, resources, demo: dict[str, Any]) -> None:
        from infra.local import template

        self.routes = template.routes()
        member = demo["members"][DEMO_EMAIL]
        self.claims = {"sub": member["sub"], "token_use": "access",
                       "client_id": resources.client_id,
                       "scope": "aws.cognito.signin.user.admin", "username": member["sub"]}

    def routed(self, path: str) -> bool:
        from infra.local.events import match_route

        return match_route(self.routes, "GET", path)[0] is not None

    def get(self, path: str, query: str = "") -> Any:
        from infra.local.events import http_api_event, match_route
        from infra.local.server import LambdaContext

        route, params = match_route(self.routes, "GET", path)
        event = http_api_event(route, path=path, query=query, claims=self.claims, params=params)
        module, attr = route.handler.rsplit(".", 1)
        handler = getattr(importlib.import_module(module), attr)
        result = handler(event, LambdaContext(function_name=route.function,
                                              aws_request_id=event["requestContext"][
                                                  "requestId"]))
        status = result["statusCode"]
        if status != 200:
            raise RuntimeError(f"GET {path}?{query}: HTTP {status}: {result.get('body')}")
        return json.loads(result["body"])


def _file(path: str, query: str = "") -> str:
    name = re.sub(r"[^A-Za-z0-9]+", "-", path.strip("/")) or "root"
    if query:
        name += "@" + re.sub(r"[^A-Za-z0-9]+", "-", query)
    return name + ".json"


def _all_items(caller: Caller, path: str) -> list[dict]:
    items, cursor = [], None
    for _ in range(100):
        query = "limit=100" + (f"&cursor={cursor}" if cursor else "")
        page = caller.get(path, query)
        items += page.get("items", [])
        cursor = page.get("next")
        if not cursor:
            return items
    raise RuntimeError(f"{path}: more than 100 pages")


def acts_index(today) -> dict:
    """The acts catalogue with the words the engine's search matches on, so the discovery
    mode's care search answers like GET /claims/acts without a server."""
    from engine.catalogue import _STOPWORDS, list_acts, normalize

    acts = []
    for act in list_acts(today):
        haystack = " ".join([normalize(act.label), normalize(" ".join(act.keywords)),
                             normalize(act.category_label), normalize(act.code),
                             normalize(act.official_code or ""),
                             normalize(" ".join(act.aliases))])
        acts.append({"id": act.code, "code": act.code, "label": act.label,
                     "category": act.category, "category_label": act.category_label,
                     "needs_sector": act.needs_sector, "words": haystack,
                     "label_words": normalize(act.label)})
    return {"stopwords": sorted(_STOPWORDS), "acts": acts}


def write_snapshot(out: Path) -> dict:
    from moto import mock_aws

    from infra.local import bootstrap, template
    from infra.local.dynamodb import isolated_dynamodb
    from shared import clock

    # The local stack's DynamoDB (its answers are moto's own, tested): the seed's updates and
    # the lists' queries at a fraction of their cost, for every site build from a fresh clone.
    isolated_dynamodb()
    saved = dict(os.environ)
    os.environ.pop("AWS_ENDPOINT_URL", None)
    os.environ.update({"AWS_ACCESS_KEY_ID": "demo", "AWS_SECRET_ACCESS_KEY": "demo",
                       "AWS_DEFAULT_REGION": bootstrap.REGION, "AWS_REGION": bootstrap.REGION,
                       "POWERTOOLS_TRACE_DISABLED": "true",
                       "POWERTOOLS_METRICS_DISABLED": "true",
                       "POWERTOOLS_LOG_LEVEL": "CRITICAL"})
    try:
        with mock_aws():
            resources = bootstrap.create_all(None, suffix="demo")
            for function in template.resources("AWS::Serverless::Function"):
                os.environ.update(resources.env(function))
            os.environ["POWERTOOLS_LOG_LEVEL"] = "CRITICAL"
            from infra.local.seed import demo_members, seed_demo

            demo = seed_demo(resources, None)
            today = clock.today()
            caller = Caller(resources, demo)
            routes: dict[str, dict] = {}
            out.mkdir(parents=True, exist_ok=True)

            def save(name: str, data: Any) -> str:
                (out / name).parent.mkdir(parents=True, exist_ok=True)
                (out / name).write_text(json.dumps(data, ensure_ascii=False,
                                                   separators=(",", ":")), "utf-8")
                return name

            for entry in manifest(today.year):
                if not caller.routed(entry.path):
                    continue
                if entry.variants:
                    routes[entry.path] = {"variants": {
                        q: save(_file(entry.path, q), caller.get(entry.path, q))
                        for q in entry.variants}}
                elif entry.list:
                    items = _all_items(caller, entry.path)
                    routes[entry.path] = {"file": save(_file(entry.path), items), "list": True}
                    if entry.filters:
                        routes[entry.path]["filters"] = {
                            k: list(v) for k, v in entry.filters.items()}
                    if entry.detail:
                        for item in items:
                            path = entry.detail.format(id=item["id"])
                            if caller.routed(path):
                                routes[path] = {"file": save(_file(path), caller.get(path))}
                else:
                    routes[entry.path] = {"file": save(_file(entry.path), caller.get(entry.path))}
            routes["/claims/acts"] = {"file": save("claims-acts.json", acts_index(today)),
                                      "acts": True}
            member = next(m for m in demo_members(today) if m.email == DEMO_EMAIL)
            snapshot = {
                "today": today.isoformat(),
                "member": member.member_id,
                "formula_id": member.formula_id,
                "routes": routes,
            }
            save("manifest.json", snapshot)
            return snapshot
    finally:
        os.environ.clear()
        os.environ.update(saved)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    for path in (ROOT, ROOT / "functions"):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    snapshot = write_snapshot(args.out)
    print(f"demo snapshot: {len(snapshot['routes'])} paths in {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
