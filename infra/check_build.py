"""Check what `sam build` packaged (`make build`, run by `make test`).

Each function must carry what its code imports — our packages and third-party libraries, from
its own package or its layers (boto3 and the standard library come with the runtime) — and
never another feature's package. Prints each package's size.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import tempfile
from pathlib import Path

from infra.local import template

BUILD = template.ROOT / ".aws-sam" / "build"
RUNTIME = {"boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six"}
SIZE_LIMITS_MB = {"MembersFunction": 15, "ServicesFunction": 15, "SystemFunction": 20,
                  "SystemIngestFunction": 20}


def size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1024 / 1024


def imported_top_levels(root: Path, packages: set[str]) -> set[str]:
    """Top-level names imported by our own code in the package (lazy imports included)."""
    names: set[str] = set()
    for package in packages:
        for source in (root / package).rglob("*.py"):
            for node in ast.walk(ast.parse(source.read_text("utf-8"))):
                if isinstance(node, ast.Import):
                    names.update(a.name.split(".")[0] for a in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names.add(node.module.split(".")[0])
    return names


def provided(root: Path) -> set[str]:
    return {p.name.removesuffix(".py") for p in root.iterdir()
            if (p.is_dir() and not p.name.endswith((".dist-info", ".libs"))
                and p.name not in ("bin", "__pycache__")) or p.suffix == ".py"}


# What the functions ask schwifty (contract.logic.changes.iban_check), run on the packaged
# schwifty and pycountry: the build leaves pycountry's translations out.
IBAN_CHECK = """
import pycountry, schwifty, sys
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
assert pycountry.__file__.startswith(sys.argv[1]) and schwifty.__file__.startswith(sys.argv[1])
iban = IBAN("FR76 3000 6000 0112 3456 7890 189")
assert iban.in_sepa_zone and iban.country_code == "FR" and iban.country.name == "France"
assert iban.bank_name, "no bank name"
assert IBAN("DE89370400440532013000").bank_name
try:
    IBAN("FR76 3000 6000 0112 3456 7890 188")
except SchwiftyException:
    pass
else:
    raise AssertionError("a wrong checksum was accepted")
"""
PURE_PYTHON = ("schwifty", "pycountry", "rstr")  # the rest is compiled for arm64


def iban_problem(root: Path) -> str | None:
    """Run the IBAN checks on the artefact's own schwifty and pycountry."""
    root = root.resolve()
    with tempfile.TemporaryDirectory() as tmp:
        for name in PURE_PYTHON:
            if (root / name).is_dir():
                (Path(tmp) / name).symlink_to(root / name)
        run = subprocess.run([sys.executable, "-c", IBAN_CHECK, tmp], capture_output=True,
                             text=True, env={"PYTHONPATH": tmp}, check=False)
    if run.returncode:
        return run.stderr.strip().splitlines()[-1] if run.stderr.strip() else "failed"
    return None


def main() -> int:
    functions = template.resources("AWS::Serverless::Function")
    layers = template.resources("AWS::Serverless::LayerVersion")
    features = {props["Handler"].split(".", 1)[0] for props in functions.values()}
    ours = features | {"shared", "domain", "engine"}
    problems: list[str] = []
    print(f"{'package':<22} {'size':>8}")
    for name in layers:
        print(f"{name:<22} {size_mb(BUILD / name):6.1f} MB  (layer)")
    for name, props in sorted(functions.items()):
        root = BUILD / name
        if not root.is_dir():
            problems.append(f"{name}: not built")
            continue
        feature = props["Handler"].split(".", 1)[0]
        here = provided(root)
        layer_names = [ref["Ref"] for ref in props.get("Layers", []) if "Ref" in ref]
        from_layers = set().union(*(provided(BUILD / ln / "python") for ln in layer_names)) \
            if layer_names else set()
        foreign = (here & features) - {feature}
        if foreign:
            problems.append(f"{name} carries another feature's package: {sorted(foreign)}")
        needed = imported_top_levels(root, here & ours) - set(sys.stdlib_module_names)
        missing = needed - here - from_layers - RUNTIME - {"__future__"}
        if missing:
            problems.append(f"{name} imports what it does not carry: {sorted(missing)}")
        if (root / "schwifty").is_dir():
            problem = iban_problem(root)
            if problem:
                problems.append(f"{name}: IBAN checks fail in the artefact: {problem}")
        fhir = root / "fhir" / "resources"
        if fhir.is_dir() and {p.name for p in fhir.iterdir()} - {"R4B", "__init__.py"}:
            problems.append(f"{name} carries FHIR versions other than R4B")
        mb = size_mb(root)
        limit = SIZE_LIMITS_MB.get(name)
        note = f"  (limit {limit} MB)" if limit else ""
        if limit and mb > limit:
            problems.append(f"{name} is {mb:.1f} MB, over {limit} MB")
        layers_mb = sum(size_mb(BUILD / ln) for ln in layer_names)
        extra = f" + {layers_mb:.1f} MB of layers" if layer_names else ""
        print(f"{name:<22} {mb:6.1f} MB{extra}{note}")
    for problem in problems:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
