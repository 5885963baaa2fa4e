"""Cold import of each function's handler, against a floor measured in the same run.

Each sample is a fresh interpreter (as a Lambda cold start): the time of importing the handler
module, and for the floor the time of importing boto3, making a DynamoDB client, building an
APIGatewayHttpResolver(enable_validation=True) and a Powertools Logger. Median of N runs.
Target: every function at most 1.15 x the floor. Beside each ratio, the size of what
`sam build` packaged for that function (`make bench` builds first), and of its layers.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from infra.check_build import BUILD, size_mb  # noqa: E402
from infra.local import template  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "9"))
TARGET = 1.15

FLOOR = """
import time
t = time.perf_counter()
import boto3
boto3.client("dynamodb", region_name="eu-west-3")
from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
APIGatewayHttpResolver(enable_validation=True)
Logger()
print(time.perf_counter() - t)
"""

HANDLER = """
import time
t = time.perf_counter()
import {module}
print(time.perf_counter() - t)
"""


def sample(code: str, env: dict[str, str]) -> float:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, check=True, cwd=ROOT)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> int:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "functions"), "AWS_REGION": "eu-west-3",
           "AWS_DEFAULT_REGION": "eu-west-3", "AWS_ACCESS_KEY_ID": "x",
           "AWS_SECRET_ACCESS_KEY": "x", "POWERTOOLS_TRACE_DISABLED": "true",
           "PYTHONDONTWRITEBYTECODE": "0"}
    modules = sorted({(r.function, r.handler.rsplit(".", 1)[0]) for r in template.routes()})
    for function, _ in modules:
        env.update(template.function_environment(function, {"Table": "t",
                                                            "IdempotencyTable": "i",
                                                            "DocumentsBucket": "b"}))
    # Warm the file cache and bytecode once, as a deployed package has its .pyc files.
    sample(FLOOR, env)
    for _, module in modules:
        sample(HANDLER.format(module=module), env)
    floor_runs, handler_runs = [], {m: [] for _, m in modules}
    for _ in range(RUNS):  # interleaved, so machine noise hits all alike
        floor_runs.append(sample(FLOOR, env))
        for _, module in modules:
            handler_runs[module].append(sample(HANDLER.format(module=module), env))
    floor = statistics.median(floor_runs)
    functions = template.resources("AWS::Serverless::Function")
    print(f"cold import, median of {RUNS} fresh interpreters; built package size")
    print(f"{'floor (boto3+client+resolver+logger)':<40} {floor * 1000:8.1f} ms   1.00 x")
    worst = 0.0
    for function, module in modules:
        median = statistics.median(handler_runs[module])
        ratio = median / floor
        worst = max(worst, ratio)
        flag = "ok" if ratio <= TARGET else "OVER TARGET"
        built = BUILD / function
        layers = [ref["Ref"] for ref in functions[function].get("Layers", [])]
        size = f"{size_mb(built):5.1f} MB" if built.is_dir() else "not built"
        if layers and built.is_dir():
            size += f" + {sum(size_mb(BUILD / name) for name in layers):.1f} MB layer"
        print(f"{module:<40} {median * 1000:8.1f} ms   {ratio:.2f} x  {flag:<12} {size}")
    print(f"target: at most {TARGET:.2f} x the floor; worst {worst:.2f} x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
