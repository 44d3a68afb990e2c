"""openjd-lint over the conformance templates against openjd-model 0.14.0 decoding the same files.

Run by hand: `python benchmarks/bench_conformance.py [--repeat N]` (needs `pip install '.[test]'` and
../shared/conformance). Both sides run in one process each, measured in the same run; the printed ratios
are what matter (targets: <= 1.0x).
"""

from __future__ import annotations

import argparse
import csv
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFORMANCE = ROOT.parent / "shared" / "conformance"

_REFERENCE = r"""
import sys, time
t0 = time.perf_counter()
import yaml
from openjd.model import decode_job_template, decode_environment_template
try:
    from yaml import CSafeLoader as Loader
except ImportError:
    from yaml import SafeLoader as Loader
t1 = time.perf_counter()
for path in sys.argv[1:]:
    with open(path, "rb") as handle:
        text = handle.read()
    try:
        data = yaml.load(text, Loader=Loader)
        extensions = list(data.get("extensions") or []) if isinstance(data, dict) else []
        if isinstance(data, dict) and data.get("specificationVersion") == "environment-2023-09":
            decode_environment_template(template=data, supported_extensions=extensions)
        else:
            decode_job_template(template=data, supported_extensions=extensions)
    except Exception:
        pass
t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""

_LINTER = r"""
import sys, time
t0 = time.perf_counter()
from openjd_lint.discover import Target
from openjd_lint.rules import REGISTRY
from openjd_lint.run import run_targets
t1 = time.perf_counter()
run_targets([Target(p, explicit=True) for p in sys.argv[1:]], REGISTRY)
t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""


def template_files() -> list[str]:
    with open(CONFORMANCE / "INDEX.tsv", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [str(CONFORMANCE / r["path"]) for r in rows
            if r["kind"] in ("job_template", "env_template") and r["proposed"] == "no"]


def measure(script: str, files: list[str]) -> tuple[float, float, float]:
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", script, *files], capture_output=True, text=True, check=True).stdout
    wall = time.perf_counter() - start
    imports, work = (float(x) for x in out.split())
    return wall, imports, work


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    files = template_files()
    results = {"reference": [], "openjd-lint": []}
    for _ in range(args.repeat):
        results["reference"].append(measure(_REFERENCE, files))
        results["openjd-lint"].append(measure(_LINTER, files))
    print(f"{len(files)} conformance templates, median of {args.repeat} runs, each side in one process")
    print(f"{'':<14}{'process':>10}{'imports':>10}{'work':>10}")
    medians = {}
    for name, runs in results.items():
        medians[name] = [statistics.median(r[i] for r in runs) for i in range(3)]
        wall, imports, work = medians[name]
        print(f"{name:<14}{wall:>9.3f}s{imports:>9.3f}s{work:>9.3f}s")
    ours, ref = medians["openjd-lint"], medians["reference"]
    print(f"ratio, whole process (start-up + imports + work): {ours[0] / ref[0]:.2f}x")
    print(f"ratio, linting vs decoding (work only):           {ours[2] / ref[2]:.2f}x")


if __name__ == "__main__":
    main()
