"""Demo hook: the discovery mode's snapshot (infra/demo_snapshot.py) under assets/demo/.

The snapshot is what the real handlers answer the demo member, from the local stack's seed, so
it is made again whenever the functions, the engine's rules or the seed change, and each day
(the demo's dates are relative to today). Between those, the last one is reused from
build/demo-snapshot/<key>/ (a run takes some twenty seconds on two cores).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[2]
INPUTS = ("functions", "infra/local", "infra/demo_snapshot.py", "template.yaml")
CACHE = ROOT / "build" / "demo-snapshot"


def _today() -> str:
    """The product's « today » (the snapshot's dates are relative to it)."""
    functions = str(ROOT / "functions")
    if functions not in sys.path:
        sys.path.insert(0, functions)
    from shared import clock

    return clock.today().isoformat()


def _key() -> str:
    digest = hashlib.sha256(_today().encode())
    for name in INPUTS:
        base = ROOT / name
        files = [base] if base.is_file() else sorted(
            p for p in base.rglob("*") if p.is_file() and p.suffix in (".py", ".json", ".yaml"))
        for file in files:
            digest.update(file.relative_to(ROOT).as_posix().encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def on_post_build(config, **kwargs):
    target = Path(config["site_dir"]) / "assets" / "demo"
    cached = CACHE / _key()
    if not (cached / "manifest.json").is_file():
        shutil.rmtree(CACHE, ignore_errors=True)
        done = subprocess.run(  # noqa: S603 - our own module, with this interpreter
            [sys.executable, "-m", "infra.demo_snapshot", str(cached)], cwd=ROOT,
            capture_output=True, text=True, check=False)
        if done.returncode != 0:
            shutil.rmtree(cached, ignore_errors=True)
            raise PluginError("demo snapshot failed:\n" + (done.stderr or done.stdout)[-3000:])
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(cached, target)
