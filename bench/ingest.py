"""Ingest of reimbursement lines (ExplanationOfBenefit, ndjson) through the real ingest code
into moto, against a floor measured in the same run.

`make bench-ingest` (or `bench/ingest.py [--lines 10000 100000]`). A moto server runs on
loopback in its own process, patched as the local stack patches it (infra/local), with the
template's resources made by `infra.local.bootstrap.create_all`. For each size:

1. demo-like members: each a copy of Fatima's or Paul's file (their beneficiaries, regimes
   and situations) under a new member number, one member per 5 lines; their files (profile,
   contract, beneficiaries) are written straight into the table first, not measured;
2. the lines: the demo's own reimbursements of that member's model (computed by the engine,
   as the seed computes them), each under a new claim id, paid today, as the management
   system sends them (`infra.local.gestion.explanation_of_benefit`), put in the inbox bucket;
3. ingest: a fresh process runs `system.logic.ingest.ingest_object(bucket, key)` (streams the
   file, applies each line, writes the report) and counts its DynamoDB calls with a botocore
   event hook, recording each call as it went on the wire;
4. floor: another fresh process sends the same DynamoDB calls (same items, same conditions,
   same order) to a second copy of the tables, holding the same member files: the writes
   alone, without reading the file, parsing, validating or mapping.

Printed per size: lines per second of the one process, DynamoDB calls per line, CPU per line
of the process (moto's time is in its own process), peak memory (maximum resident set size of
the process), and the ratio of ingest time to floor time. Targets: at most 2 × the floor and
at most 2 DynamoDB calls per line.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]

TARGET_RATIO = 2.0
TARGET_CALLS = 2.0
LINES_PER_MEMBER = 5
REGION = "eu-west-3"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",  # moto's
               "AWS_DEFAULT_REGION": REGION, "AWS_REGION": REGION,
               "POWERTOOLS_TRACE_DISABLED": "true", "POWERTOOLS_METRICS_DISABLED": "true",
               "POWERTOOLS_LOG_LEVEL": "ERROR"}

MOTO = """
import sys, threading, contextlib, logging
sys.path[:0] = [{root!r}, {functions!r}]
logging.getLogger("werkzeug").setLevel(logging.ERROR)
from infra.local.server import quick_dispatch
from infra.local.dynamodb import isolated_dynamodb
from moto.server import ThreadedMotoServer
quick_dispatch()
server = ThreadedMotoServer(ip_address="127.0.0.1", port={port}, verbose=False)
server.start()
server._server.app.lock = contextlib.nullcontext()
isolated_dynamodb()
sys.path.insert(0, {bench!r})
import ingest
ingest.faster_moto()
print("ready", flush=True)
threading.Event().wait()
"""


# ----------------------------------------------------------------------------- moto
SIMPLE_UPDATE = re.compile(r"SET (#\w+ = :\w+(?:, #\w+ = :\w+)*)(?: REMOVE (#\w+(?:, #\w+)*))?")


def faster_moto() -> None:
    """moto's update expressions, the bench's bottleneck, made cheaper the same way for the
    ingest and the floor: an expression's text parsed once (the validator works on its own
    copy of the tree); the count of SET/REMOVE clauses checked at the root only (moto re-counts
    each nested node's subtree: quadratic); and a plain `SET #a = :a, … [REMOVE #b, …]` of
    attributes that are not keys applied directly, as moto's executor would apply it; any
    other expression goes through moto as before."""
    import functools

    from moto.dynamodb import models
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.parsing import executors, expressions, validators

    make = expressions.UpdateExpressionParser.make.__func__

    @functools.lru_cache(maxsize=256)
    def parsed(cls: Any, text: str) -> Any:
        tree = make(cls, text)
        tree.bench_text = text
        return tree

    expressions.UpdateExpressionParser.make = classmethod(parsed)
    count = validators.ActionCountValidator.verify_action_counts
    validators.ActionCountValidator.verify_action_counts = (
        lambda self, node: node if node.parent is not None else count(self, node))

    class Plain:
        def __init__(self, sets: list[tuple[str, Any]], removes: list[str]) -> None:
            self.sets, self.removes = sets, removes

        def normalize(self) -> None:
            pass

    def plain(text: str, names: dict, values: dict, keys: set[str]) -> Plain | None:
        match = SIMPLE_UPDATE.fullmatch(text or "")
        if not match:
            return None
        sets = [pair.split(" = ") for pair in match.group(1).split(", ")]
        removes = match.group(2).split(", ") if match.group(2) else []
        if not all(n in names for n, _ in sets) or not all(v in values for _, v in sets) \
                or not all(n in names for n in removes):
            return None
        if {names[n] for n, _ in sets} & keys or {names[n] for n in removes} & keys:
            return None
        return Plain([(names[n], values[v]) for n, v in sets], [names[n] for n in removes])

    class Validator(validators.UpdateExpressionValidator):
        def __init__(self, expression: Any, *, item: Any, table: Any, **kwargs: Any) -> None:
            self.found = None
            if not item.attrs:  # moto validates a new item's expression twice: once
                return
            self.found = plain(getattr(expression, "bench_text", ""),
                               kwargs["expression_attribute_names"] or {},
                               kwargs["expression_attribute_values"] or {},
                               set(table.table_key_attrs))
            if self.found is None:
                super().__init__(expression, item=item, table=table, **kwargs)

        def validate(self) -> Any:
            if self.found is not None or not hasattr(self, "node_to_validate"):
                return self.found or Plain([], [])
            return super().validate()

    class Executor(executors.UpdateExpressionExecutor):
        def __init__(self, tree: Any, item: Any, names: Any) -> None:
            self.plain = tree if isinstance(tree, Plain) else None
            self.target = item
            if self.plain is None:
                super().__init__(tree, item, names)

        def execute(self, node: Any = None) -> None:
            if self.plain is None:
                return super().execute() if node is None else super().execute(node)
            for name, value in self.plain.sets:
                self.target.attrs[name] = DynamoType(value)
            for name in self.plain.removes:
                self.target.attrs.pop(name, None)
            return None

    models.UpdateExpressionValidator = Validator
    models.UpdateExpressionExecutor = Executor


# ----------------------------------------------------------------------------- set-up
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_moto() -> tuple[subprocess.Popen, str]:
    port = free_port()
    code = MOTO.format(root=str(ROOT), functions=str(ROOT / "functions"), port=port,
                       bench=str(ROOT / "bench"))
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                               text=True, env={**os.environ, **CREDENTIALS})
    if process.stdout.readline().strip() != "ready":
        raise SystemExit("moto did not start")
    return process, f"http://127.0.0.1:{port}"


def cpu_of(process: subprocess.Popen) -> float:
    """User + system CPU seconds of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def worker_environment(resources: Any, url: str) -> dict[str, str]:
    from infra.local import template

    functions = template.resources("AWS::Serverless::Function")
    function = "SystemIngestFunction" if "SystemIngestFunction" in functions else next(
        iter(functions))
    env = {**os.environ, **CREDENTIALS, **resources.env(function), "AWS_ENDPOINT_URL": url,
           "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'functions'}"}
    env["POWERTOOLS_LOG_LEVEL"] = "ERROR"
    return env


def inbox_bucket(resources: Any, s3: Any, suffix: str) -> str:
    name = resources.names.get("InboxBucket")
    if name:
        return name
    name = f"inboxbucket-{suffix}"  # until the template has it
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    return name


def members_and_claims(count: int) -> tuple[list[Any], dict[str, list[Any]]]:
    """`count` members modelled on the demo's, and each model's paid reimbursements."""
    from infra.local import seed
    from shared import clock

    today = clock.today()
    models = seed.demo_members(today)
    claims = {}
    for model in models:
        made = seed.build_claims(model, today, random.Random(seed.SEED))
        claims[model.member_id] = [c for c in made if c.status == "paid"]
    members = []
    for i in range(count):
        model = models[i % len(models)]
        member_id = f"{3000000000 + i}"
        members.append((replace(model, member_id=member_id,
                                email=f"adherent{i}@example.fr"), model.member_id))
    return members, claims


def write_files(ddb: Any, table: str, members: list[Any]) -> None:
    """The members' files (profile, contract, beneficiaries), as the seed writes them."""
    from boto3.dynamodb.types import TypeSerializer

    from domain.membership import Beneficiary, Contract, Profile, file_items
    from shared import clock

    today = clock.today()
    serialize = TypeSerializer().serialize
    items = []
    for member, _ in members:
        pk = f"MEMBER#{member.member_id}"
        items += file_items(
            pk, Profile(member_id=member.member_id, first_name=member.first_name,
                        last_name=member.last_name, email=member.email),
            [Contract(id="CT1", formula_id=member.formula_id,
                      formula_label=member.formula_label,
                      start_date=today.replace(year=today.year - 5, month=1, day=1),
                      number=f"CT-{member.member_id}-01",
                      collective=member.employer is not None, employer=member.employer)],
            [Beneficiary(id=b.id, first_name=b.first_name, last_name=b.last_name,
                         birth_date=b.birth_date, rank=f"{rank:02d}",
                         relationship=b.relationship, nir=b.nir, benefit_iban=b.iban,
                         situation=b.situation)
             for rank, b in enumerate(member.beneficiaries, start=1)])
    for start in range(0, len(items), 25):
        batch = [{"PutRequest": {"Item": {k: serialize(v) for k, v in item.items()}}}
                 for item in items[start:start + 25]]
        while batch:
            left = ddb.batch_write_item(RequestItems={table: batch}).get(
                "UnprocessedItems", {})
            batch = left.get(table, [])


def write_lines(path: Path, members: list[Any], claims: dict[str, list[Any]],
                lines: int) -> None:
    from infra.local import gestion
    from shared import clock

    today = clock.today()
    with path.open("w") as out:
        for i in range(lines):
            member, model = members[(i // LINES_PER_MEMBER) % len(members)]
            claim = claims[model][i % len(claims[model])]
            claim_id = f"C{claim.care_date:%Y%m%d}-{i:08x}"
            data = claim.model_dump(mode="json")
            detail = {"claim_id": claim_id, "beneficiary_id": claim.beneficiary_id,
                      "care_date": claim.care_date.isoformat(), "act_code": claim.act_code,
                      "quantity": claim.quantity,
                      "practitioner": (claim.practitioner.model_dump()
                                       if claim.practitioner else {})}
            eob = gestion.explanation_of_benefit(
                member.member_id, detail, paid_on=min(today, claim.care_date + timedelta(3)),
                brand="Mutuelle bench", claim=data)
            out.write(gestion.to_json(eob) + "\n")


# ----------------------------------------------------------------------------- capacity
def item_bytes(value: dict[str, Any]) -> int:
    """An item's size as DynamoDB counts it (attribute names + values; a number takes about
    one byte per two digits plus one; a map or list 3 bytes plus 1 per element)."""
    def size(v: dict[str, Any]) -> int:
        kind, inner = next(iter(v.items()))
        if kind == "S":
            return len(inner.encode())
        if kind == "N":
            return (len(inner.lstrip("-").replace(".", "")) + 1) // 2 + 1
        if kind in ("BOOL", "NULL"):
            return 1
        if kind == "M":
            return 3 + sum(len(k.encode()) + size(x) + 1 for k, x in inner.items())
        if kind == "L":
            return 3 + sum(size(x) + 1 for x in inner)
        return len(str(inner))
    return sum(len(k.encode()) + size(v) for k, v in value.items())


def capacity(ddb: Any, table: str, members: list[Any], record: str,
             lines: int) -> dict[str, Any]:
    """What a line costs in DynamoDB's units, from the items the ingest wrote (read back from
    a sample of members, not measured) and the reads it made (the recorded calls)."""
    from infra.local import template

    sizes: dict[str, list[int]] = {"claim": [], "notice": [], "profile": []}
    for member, _ in members[:200]:
        for item in ddb.query(TableName=table, KeyConditionExpression="pk = :pk",
                              ExpressionAttributeValues={":pk": {
                                  "S": f"MEMBER#{member.member_id}"}})["Items"]:
            kind = {"CLAIM": "claim", "NOTICE": "notice", "FILE": "profile"}.get(
                item["sk"]["S"].split("#")[0])
            if kind and (kind != "profile" or item["sk"]["S"] == "FILE#PROFILE"):
                sizes[kind].append(item_bytes(item))
    kb = {k: sum(-(-b // 1024) for b in v) / max(1, len(v)) for k, v in sizes.items()}
    indexes = {g["KeySchema"][0]["AttributeName"] for g in template.resources(
        "AWS::DynamoDB::Table")["Table"].get("GlobalSecondaryIndexes", [])}
    notices = len(sizes["notice"]) / max(1, len(sizes["claim"]))
    # A transaction's writes cost 2 units a KB (its ConditionCheck counted as one, to be safe);
    # an index's copy of an item costs 1 unit a KB.
    wru = 2 * (kb["profile"] + kb["claim"] + notices * kb["notice"])
    wru += kb["claim"] * ("gsi1pk" in indexes) + notices * kb["notice"] * ("gsi3pk" in indexes)
    keys = consistent = 0
    with open(record) as recorded:
        for line in recorded:
            operation, body = line.split("\t", 1)
            if operation == "BatchGetItem":
                for request in json.loads(body)["RequestItems"].values():
                    keys += len(request["Keys"])
                    consistent += len(request["Keys"]) * bool(request.get("ConsistentRead"))
            elif operation in ("GetItem", "Query"):
                keys += 1
    return {"wru": wru, "rru": (0.5 * (keys - consistent) + consistent) / lines,
            "keys": keys / lines,
            "bytes": {k: sum(v) / max(1, len(v)) for k, v in sizes.items()},
            "notices": notices, "indexes": sorted(indexes)}


# ----------------------------------------------------------------------------- workers
def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def worker_ingest(bucket: str, key: str, record: str) -> dict[str, Any]:
    import boto3

    boto3.setup_default_session(region_name=REGION)
    calls: dict[str, int] = {}
    out = open(record, "w")  # noqa: SIM115 - closed below, after the measure

    def hook(model: Any, params: dict[str, Any], **_: Any) -> None:
        calls[model.name] = calls.get(model.name, 0) + 1
        body = params.get("body")
        out.write(model.name + "\t" + (body.decode() if isinstance(body, bytes) else body)
                  + "\n")

    boto3.DEFAULT_SESSION.events.register("before-call.dynamodb", hook)
    from system.logic.ingest import ingest_object

    started, cpu = time.perf_counter(), time.process_time()
    report = ingest_object(bucket, key)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    out.close()
    counts = report.model_dump(mode="json") if hasattr(report, "model_dump") else dict(report)
    return {"seconds": seconds, "cpu": cpu, "calls": calls, "peak_mb": _peak_mb(),
            "report": {k: (len(v) if isinstance(v, list) else v) for k, v in counts.items()
                       if k in ("lines", "applied", "unchanged", "outdated", "pending",
                                "rejected")},
            "rejected_sample": (counts.get("rejected") or [])[:3]}


def worker_floor(record: str, table_from: str, table_to: str) -> dict[str, Any]:
    import boto3
    from botocore.exceptions import ClientError

    client = boto3.client("dynamodb", region_name=REGION)
    client.describe_limits()  # the connection opened, as the ingest's first call finds it
    calls = failed = 0
    started, cpu = time.perf_counter(), time.process_time()
    # Streamed (a call's JSON read back costs about 1 % of sending it): memory stays flat.
    with open(record) as recorded:
        for line in recorded:
            operation, body = line.rstrip("\n").split("\t", 1)
            calls += 1
            try:
                client._make_api_call(operation, json.loads(body.replace(table_from, table_to)))
            except ClientError:  # a condition that failed for the ingest fails here too
                failed += 1
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"seconds": seconds, "cpu": cpu, "calls": calls, "failed": failed,
            "peak_mb": _peak_mb()}


def run_worker(env: dict[str, str], *args: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, __file__, "--worker", *args], env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode:
        sys.stderr.write(done.stderr[-4000:])
        raise SystemExit(f"worker {args[0]} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------- main
def bench(moto: subprocess.Popen, url: str, lines: int, work: Path) -> dict[str, Any]:
    import boto3

    from infra.local import bootstrap

    os.environ.update(CREDENTIALS)
    session = boto3.session.Session(region_name=REGION)
    ddb = session.client("dynamodb", endpoint_url=url)
    s3 = session.client("s3", endpoint_url=url)
    made = time.perf_counter()
    ingest_res = bootstrap.create_all(url, suffix=f"i{lines}")
    floor_res = bootstrap.create_all(url, suffix=f"f{lines}")
    members, claims = members_and_claims(max(1, lines // LINES_PER_MEMBER))
    write_files(ddb, ingest_res.names["Table"], members)
    write_files(ddb, floor_res.names["Table"], members)
    path = work / f"bench-{lines}.ndjson"
    write_lines(path, members, claims, lines)
    bucket = inbox_bucket(ingest_res, s3, f"i{lines}")
    key = f"inbox/bench-{lines}.ndjson"
    s3.upload_file(str(path), bucket, key)
    setup = time.perf_counter() - made
    record = str(work / f"calls-{lines}.tsv")
    before = cpu_of(moto)
    ingest = run_worker(worker_environment(ingest_res, url), "ingest", bucket, key, record)
    ingest["moto_cpu"], before = cpu_of(moto) - before, cpu_of(moto)
    print(f"  {lines:,} lines ingested in {ingest['seconds']:.1f} s "
          f"({lines / ingest['seconds']:.0f} lines/s; CPU {ingest['cpu'] / lines * 1000:.2f} ms "
          f"+ {ingest['moto_cpu'] / lines * 1000:.2f} ms in moto a line; "
          f"{sum(ingest['calls'].values()) / lines:.2f} DynamoDB calls a line; "
          f"peak {ingest['peak_mb']:.0f} MB); now the floor", flush=True)
    floor = run_worker(worker_environment(floor_res, url), "floor", record,
                       ingest_res.names["Table"], floor_res.names["Table"])
    floor["moto_cpu"] = cpu_of(moto) - before
    units = capacity(ddb, ingest_res.names["Table"], members, record, lines)
    return {"capacity": units, "lines": lines, "members": len(members),
            "bytes": path.stat().st_size, "setup": setup, "ingest": ingest, "floor": floor}


def show(result: dict[str, Any]) -> bool:
    lines, ingest, floor = result["lines"], result["ingest"], result["floor"]
    calls = sum(ingest["calls"].values())
    per_line = calls / lines
    by_op = ", ".join(f"{op} {n / lines:.2f}" for op, n in sorted(ingest["calls"].items()))
    ms = {name: {"wall": r["seconds"] / lines * 1000, "cpu": r["cpu"] / lines * 1000,
                 "moto": r["moto_cpu"] / lines * 1000} for name, r in (("ingest", ingest),
                                                                       ("floor", floor))}
    ratio_cpu = (ms["ingest"]["cpu"] + ms["ingest"]["moto"]) / (ms["floor"]["cpu"]
                                                                + ms["floor"]["moto"])
    ratio_wall = ingest["seconds"] / floor["seconds"]
    ok = ratio_cpu <= TARGET_RATIO and per_line <= TARGET_CALLS
    print(f"\n{lines:,} lines ({result['members']:,} members, "
          f"{result['bytes'] / 1e6:.1f} MB of ndjson; set-up {result['setup']:.0f} s)")
    print(f"  report: {json.dumps(ingest['report'], ensure_ascii=False)}")
    if ingest.get("rejected_sample"):
        print(f"  first rejected: {json.dumps(ingest['rejected_sample'], ensure_ascii=False)}")
    print(f"  DynamoDB calls: {per_line:.2f} per line ({by_op})")
    for name, r in (("ingest", ingest), ("floor", floor)):
        m = ms[name]
        print(f"  {name:<6} {r['seconds']:7.1f} s  {lines / r['seconds']:6.0f} lines/s (one "
              f"process)  per line: {m['wall']:5.2f} ms wall, CPU {m['cpu']:5.2f} ms in the "
              f"process + {m['moto']:5.2f} ms in moto  peak {r['peak_mb']:.0f} MB")
    c = result["capacity"]
    print(f"  capacity per line: {c['wru']:.1f} write units, {c['rru']:.1f} read units "
          f"({c['keys']:.1f} keys read); items written: reimbursement "
          f"{c['bytes']['claim']:,.0f} B, notice {c['bytes']['notice']:,.0f} B "
          f"({c['notices']:.2f} a line); indexes {', '.join(c['indexes'])}")
    print(f"  floor = the same {floor['calls']:,} DynamoDB calls alone "
          f"({floor['failed']} failed their condition, as in the ingest)")
    print(f"  ratio to floor: {ratio_cpu:.2f} x in CPU (process + moto), {ratio_wall:.2f} x in "
          f"wall time; target <= {TARGET_RATIO:.0f} x and <= {TARGET_CALLS:.0f} calls per "
          f"line: {'ok' if ok else 'OVER TARGET'}")
    return ok


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        kind, args = sys.argv[2], sys.argv[3:]
        result = worker_ingest(*args) if kind == "ingest" else worker_floor(*args)
        print(json.dumps(result))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    try:
        import system.logic.ingest  # noqa: F401
    except ImportError:
        print("system.logic.ingest is missing: the ingest is not on this branch",
              file=sys.stderr)
        return 2
    moto, url = start_moto()
    started = time.perf_counter()
    results, ok = [], True
    try:
        with tempfile.TemporaryDirectory(prefix="bench-ingest-") as work:
            print(f"ingest of reimbursement lines (ExplanationOfBenefit) into moto ({url}); "
                  f"{os.cpu_count()} cores")
            for lines in args.lines:
                result = bench(moto, url, lines, Path(work))
                ok = show(result) and ok
                results.append(result)
    finally:
        moto.terminate()
        moto.wait(timeout=10)
    print(f"\nwhole run: {time.perf_counter() - started:.0f} s")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
