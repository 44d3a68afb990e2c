"""openjd-lint against openjd-model 0.14.0 decoding the same files, measured in the same run.

    python benchmarks/bench.py [--repeat 5] [--largest 10000] [--profile]

Needs `pip install '.[test]'`; the conformance and real-world corpora (../shared) are used when present.
Every measurement runs in a fresh process; the compared commands run alternately (reference, linter,
reference, ...) --repeat times and the median of each is shown, so load from other processes on the
machine falls on both sides. "work" is the time inside the process after imports (lint: discover
nothing, lint, render JSON; reference: read, YAML load, decode); "process" is the whole command
including interpreter start-up. Targets (issue 18):

  one file, whole process            <= 0.25x `python -c "import openjd.model"` plus one decode
  cold lint of a corpus              <= 0.35x the reference's decode time (work)
  warm cache                         <= 0.1x
  --jobs default                     never slower than --jobs 1 (<= 1.0x)
  growth                             linear: 10x the templates <= 11x the time
  peak memory for 10,000 templates   <= 1.5x the reference's

With --profile, the cold path over the 1,000-template corpus runs under cProfile in one process and the
internal time is listed by module.
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402  (the generator next to this script)

ROOT = Path(__file__).resolve().parents[1]
CONFORMANCE = ROOT.parent / "shared" / "conformance"
REALWORLD = ROOT.parent / "shared" / "realworld"

_RSS = """
def peak_rss_mb():
    import resource
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024
"""

_REFERENCE = _RSS + r"""
import json, sys, time
t0 = time.perf_counter()
import yaml
from openjd.model import decode_environment_template, decode_job_template
t1 = time.perf_counter()
decoded = 0
for path in open(sys.argv[1]).read().split("\n"):
    with open(path, "rb") as handle:
        text = handle.read()
    try:
        data = yaml.load(text, Loader=yaml.CSafeLoader)
        extensions = list(data.get("extensions") or []) if isinstance(data, dict) else []
        if isinstance(data, dict) and data.get("specificationVersion") == "environment-2023-09":
            decode_environment_template(template=data, supported_extensions=extensions)
        else:
            decode_job_template(template=data, supported_extensions=extensions)
        decoded += 1
    except Exception:
        pass
t2 = time.perf_counter()
print(json.dumps({"imports": t1 - t0, "work": t2 - t1, "rss": peak_rss_mb(), "note": f"{decoded} valid"}))
"""

_LINTER = _RSS + r"""
import json, sys, time
t0 = time.perf_counter()
from openjd_lint.cache import Cache
from openjd_lint.discover import Target
from openjd_lint.cli import collect_garbage_rarely, default_jobs
from openjd_lint.reporters import json as reporter
from openjd_lint.rules import REGISTRY
from openjd_lint.config import config_finder
from openjd_lint.run import Options, run_targets
t1 = time.perf_counter()
collect_garbage_rarely()  # as the command line does
listing, jobs, cache = sys.argv[1], int(sys.argv[2]) or default_jobs(), sys.argv[3]
targets = [Target(path, explicit=True) for path in open(listing).read().split("\n")]
options = Options(config_finder(REGISTRY), jobs=jobs, cache=Cache(cache, REGISTRY) if cache != "-" else None)
run = run_targets(targets, REGISTRY, options)
reporter.render(run)
t2 = time.perf_counter()
print(json.dumps({"imports": t1 - t0, "work": t2 - t1, "rss": peak_rss_mb(),
                  "note": f"{len(run.diagnostics)} findings, {jobs} jobs"}))
"""

_ONE_REFERENCE = r"""
import sys, yaml
import openjd.model
data = yaml.load(open(sys.argv[1], "rb").read(), Loader=yaml.CSafeLoader)
try:
    openjd.model.decode_job_template(template=data, supported_extensions=list(data.get("extensions") or []))
except Exception:
    pass
"""


class Measure:
    def __init__(self, repeat: int, scratch: Path):
        self.repeat = repeat
        self.scratch = scratch
        # As after an installation, both sides start from compiled bytecode (kept out of the checkout).
        self.env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        self.env["PYTHONPYCACHEPREFIX"] = str(scratch / "pycache")

    def listing(self, files: list) -> str:
        path = self.scratch / f"files-{len(files)}-{abs(hash(tuple(files)))}.txt"
        path.write_text("\n".join(files))
        return str(path)

    def alternated(self, *runs) -> list:
        """The median result of each of `runs` (callables doing one run), run in turn --repeat times."""
        results: list = [[] for _ in runs]
        for _ in range(self.repeat):
            for run, collected in zip(runs, results):
                collected.append(run())
        return [{key: statistics.median(r[key] for r in rs) if key != "note" else rs[0][key] for key in rs[0]}
                for rs in results]

    def script(self, script: str, *args: str, prepare=None):
        def once() -> dict:
            if prepare is not None:
                prepare()
            start = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, check=True,
                                 env=self.env)
            result = json.loads(out.stdout)
            result["process"] = time.perf_counter() - start
            return result
        return once

    def reference(self, files: list):
        return self.script(_REFERENCE, self.listing(files))

    def lint(self, files: list, jobs: int = 0, cache: str = "-", prepare=None):
        return self.script(_LINTER, self.listing(files), str(jobs), cache, prepare=prepare)

    def command(self, *command: str):
        def once() -> dict:
            start = time.perf_counter()
            subprocess.run(command, capture_output=True, check=False, env=self.env)
            return {"process": time.perf_counter() - start}
        return once


def shared_files() -> list:
    """The conformance fixtures (not proposed ones) and the real-world templates."""
    files = []
    for directory in (CONFORMANCE, REALWORLD):
        index = directory / "INDEX.tsv"
        if not index.is_file():
            continue
        with open(index, newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
        files += [str(directory / r["path"]) for r in rows
                  if r["kind"] in ("job_template", "env_template") and r.get("proposed", "no") == "no"]
    return files


def row(label: str, result: dict) -> None:
    print(f"  {label:<34}{result['process']:>8.3f}s{result['imports']:>8.3f}s{result['work']:>8.3f}s"
          f"{result['rss']:>8.0f} MB  {result['note']}")


def ratio(label: str, value: float, target: float) -> None:
    verdict = "ok" if value <= target else "MISSED"
    print(f"  {label:<58}{value:>6.2f}x  (target <= {target}x: {verdict})")


def corpus_comparison(measure: Measure, name: str, files: list) -> None:
    cache = str(measure.scratch / f"cache-{name}")

    def cold_cache():
        subprocess.run([sys.executable, "-c", f"import shutil; shutil.rmtree({cache!r}, ignore_errors=True)"])

    print(f"\n{name}: {len(files)} templates, {sum(os.path.getsize(f) for f in files) / 1024:.0f} KiB")
    print(f"  {'':<34}{'process':>9}{'imports':>8}{'work':>9}{'peak':>11}")
    reference, one_job, all_jobs, cold = measure.alternated(
        measure.reference(files), measure.lint(files, jobs=1), measure.lint(files),
        measure.lint(files, cache=cache, prepare=cold_cache))
    measure.lint(files, cache=cache)()
    reference_again, warm = measure.alternated(measure.reference(files), measure.lint(files, cache=cache))
    row("openjd-model decode (reference)", reference)
    row("openjd-lint, no cache, --jobs 1", one_job)
    row("openjd-lint, no cache, all cores", all_jobs)
    row("openjd-lint, cold cache, all cores", cold)
    row("openjd-lint, warm cache", warm)
    ratio("cold lint (cache being written, all cores) / decode, work", cold["work"] / reference["work"], 0.35)
    ratio("no cache, all cores / decode, work", all_jobs["work"] / reference["work"], 0.35)
    ratio("no cache, one process / decode, work", one_job["work"] / reference["work"], 0.35)
    ratio("warm cache / decode, work", warm["work"] / reference_again["work"], 0.1)
    ratio("no cache: all cores / --jobs 1, work", all_jobs["work"] / one_job["work"], 1.0)


def one_file(measure: Measure, path: str) -> None:
    print(f"\none file ({Path(path).name}), whole process including interpreter start-up")
    measure.command(sys.executable, "-c", _ONE_REFERENCE, path)()  # bytecode compiled once, for both sides
    measure.command(sys.executable, "-m", "openjd_lint", "check", "--no-cache", "--format", "sarif", path)()
    cache_home = measure.scratch / "one-file"
    cache_home.mkdir(exist_ok=True)
    warm_command = measure.command(
        sys.executable, "-c", "import os, sys; os.chdir(sys.argv[1]); from openjd_lint.cli import main; "
        "sys.exit(main(sys.argv[2:]))", str(cache_home), "check", path)
    warm_command()
    reference, cold, warm = (result["process"] for result in measure.alternated(
        measure.command(sys.executable, "-c", _ONE_REFERENCE, path),
        measure.command(sys.executable, "-m", "openjd_lint", "check", "--no-cache", path), warm_command))
    print(f"  python -c 'import openjd.model' + one decode   {reference:.3f}s")
    print(f"  openjd-lint check --no-cache FILE               {cold:.3f}s")
    print(f"  openjd-lint check FILE (warm cache)             {warm:.3f}s")
    ratio("one file, no cache / import + decode", cold / reference, 0.25)
    ratio("one file, warm cache / import + decode", warm / reference, 0.25)


def scaling(measure: Measure, files: list, sizes: list) -> None:
    print("\ngrowth with the number of templates (work, no cache, all cores; reference in one process)")
    times, memory = {}, {}
    for size in sizes:
        lint, reference = measure.alternated(measure.lint(files[:size]), measure.reference(files[:size]))
        times[size], memory[size] = lint["work"], lint["rss"] / reference["rss"]
        print(f"  {size:>6} templates: openjd-lint {lint['work']:7.3f}s ({lint['rss']:.0f} MB), "
              f"reference {reference['work']:7.3f}s ({reference['rss']:.0f} MB), ratio {lint['work'] / reference['work']:.2f}x")
    for smaller, larger in zip(sizes, sizes[1:]):
        ratio(f"{larger} / {smaller} templates (x{larger // smaller} files)", times[larger] / times[smaller],
              1.1 * larger / smaller)
    ratio(f"peak memory, {sizes[-1]} templates / the reference's", memory[sizes[-1]], 1.5)


def profile(files: list) -> None:
    import cProfile
    import pstats

    from openjd_lint.discover import Target
    from openjd_lint.reporters import json as reporter
    from openjd_lint.rules import REGISTRY
    from openjd_lint.config import config_finder
    from openjd_lint.run import Options, run_targets

    targets = [Target(path, explicit=True) for path in files]
    profiler = cProfile.Profile()
    profiler.enable()
    reporter.render(run_targets(targets, REGISTRY, Options(config_finder(REGISTRY), jobs=1)))
    profiler.disable()
    by_module: dict = {}
    for (filename, _, _), (_, _, internal, _, _) in pstats.Stats(profiler).stats.items():
        by_module[_module(filename)] = by_module.get(_module(filename), 0.0) + internal
    total = sum(by_module.values())
    print(f"\ncProfile of the cold path over {len(files)} templates, one process: internal time by module "
          f"({total:.2f}s under the profiler)")
    for module, seconds in sorted(by_module.items(), key=lambda pair: -pair[1])[:25]:
        print(f"  {seconds / total:6.1%}  {seconds:6.2f}s  {module}")


@functools.lru_cache(maxsize=None)
def _package_modules() -> dict:
    """Source file -> module name, for the package's modules loaded so far (found through the package:
    pyproject maps several folders into it)."""
    return {getattr(module, "__file__", None): name for name, module in list(sys.modules.items())
            if name == "openjd_lint" or name.startswith("openjd_lint.")}


def _module(filename: str) -> str:
    if filename.startswith("<") or filename == "~":
        return "builtins and C extensions"
    path = Path(filename)
    ours = _package_modules().get(str(path))
    if ours is not None:
        return ours
    parts = path.with_suffix("").parts
    if "site-packages" in parts:
        return ".".join(parts[parts.index("site-packages") + 1:][:2])
    return "stdlib." + path.stem


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--largest", type=int, default=10_000, help="the largest generated corpus (default 10000)")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="openjd-lint-bench-") as scratch:
        scratch_path = Path(scratch)
        generated = corpus.generate(scratch_path / "corpus", args.largest)
        measure = Measure(args.repeat, scratch_path)
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, median of {args.repeat} alternated runs")
        one_file(measure, generated[0])
        shared = shared_files()
        if shared:
            corpus_comparison(measure, "conformance and real-world templates", shared)
        corpus_comparison(measure, "generated corpus", generated[:1000])
        scaling(measure, generated, [size for size in (100, 1000, 10_000) if size <= args.largest])
        if args.profile:
            profile(generated[:1000])


if __name__ == "__main__":
    main()
