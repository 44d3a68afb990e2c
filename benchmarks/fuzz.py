"""Mutation fuzzing of the whole per-file pipeline, run by hand.

    python benchmarks/fuzz.py [-n 100000] [--jobs N] [--seed S] [--crashes DIR]

Inputs are mutated from the conformance fixtures (../shared/conformance) and examples/: byte flips,
insertions of YAML and expression tokens, deletions, duplications, line shuffles and splices of two
seeds. Each one is linted (engine, configuration, suppressions) and rendered by every reporter. An
exception, or an input that takes longer than --timeout seconds, is a crash: its input is saved to
the crash directory with the traceback, one file per distinct place of failure. Deterministic for a
given --seed and --jobs.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import os
import random
import signal
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFORMANCE = ROOT.parent / "shared" / "conformance"

TOKENS = [
    b"{{", b"}}", b"{{ ", b" }}", b"{{Param.", b"{{Task.Param.", b"{{Session.", b"{{RawParam.", b"{{Env.",
    b"{{ range(0, 9223372036854775807) }}", b"{{ (((((1))))) }}", b"{{ 1 if x else 2 }}", b"{{ [1,2][5] }}",
    b"&a ", b"*a", b"<<: *a", b"!!binary ", b"!!int ", b"!!str ", b"!!float ", b"!custom ", b"? ", b"- ", b": ",
    b"[", b"]", b"{", b"}", b",", b"#", b"'", b'"', b"|", b">-", b"\t", b"\n", b"\r\n", b"\x00", b"\xef\xbb\xbf",
    b"\xff", b"\xc3", b"\\u", b"\\x", b"%YAML 1.1\n", b"---\n", b"...\n", b"9223372036854775808", b"-0", b"1e999",
    b".nan", b"~", b"null", b"true", b"0x", b"0o", b"1-10:0", b"1-9223372036854775807", b"\xf0\x9f\x98\x80",
    b"\xe2\x80\xae", b"  ", b"extensions: [EXPR, TASK_CHUNKING, FEATURE_BUNDLE_1, REDACTED_ENV_VARS]\n",
    b"# openjd-lint: disable=", b"# openjd-lint: disable-file=S002", b"WrappedAction.Command", b"repr_sh(",
]


def seeds() -> list:
    found = []
    roots = [CONFORMANCE, ROOT / "examples"]
    for root in roots:
        if root.is_dir():
            found += sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml", ".json") and p.is_file())
    return [(p.name, p.read_bytes()) for p in found]


def mutate(rng: random.Random, data: bytes, other: bytes) -> bytes:
    for _ in range(rng.choice((1, 1, 2, 3, 5, 8))):
        data = rng.choice(_MUTATIONS)(rng, data, other)
    return data


def _flip(rng, data, other):
    if not data:
        return data
    at = rng.randrange(len(data))
    return data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1:]


def _insert_token(rng, data, other):
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.choice(TOKENS) + data[at:]


def _insert_random(rng, data, other):
    at = rng.randrange(len(data) + 1)
    return data[:at] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 8))) + data[at:]


def _delete(rng, data, other):
    if not data:
        return data
    at = rng.randrange(len(data))
    return data[:at] + data[at + rng.randint(1, 64):]


def _duplicate(rng, data, other):
    if not data:
        return data
    at = rng.randrange(len(data))
    piece = data[at:at + rng.randint(1, 256)]
    to = rng.randrange(len(data) + 1)
    return data[:to] + piece * rng.randint(1, 4) + data[to:]


def _lines(rng, data, other):
    lines = data.split(b"\n")
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    choice = rng.randrange(4)
    if choice == 0:
        lines[i], lines[j] = lines[j], lines[i]
    elif choice == 1:
        lines.insert(i, lines[j])
    elif choice == 2:
        lines[i] = b" " * rng.choice((1, 2, 4)) + lines[i]
    else:
        lines[i] = lines[i].lstrip(b" ")
    return b"\n".join(lines)


def _splice(rng, data, other):
    return data[:rng.randrange(len(data) + 1)] + other[rng.randrange(len(other) + 1):]


_MUTATIONS = (_flip, _insert_token, _insert_token, _insert_random, _delete, _duplicate, _lines, _lines, _splice)


class _Timeout(Exception):
    pass


def _on_alarm(signum, frame):
    raise _Timeout()


def _worker(arguments) -> dict:
    worker, count, seed, timeout, crash_dir = arguments
    from openjd_lint.config import Config
    from openjd_lint.reporters import github, json as json_reporter, sarif, text
    from openjd_lint.rules import REGISTRY
    from openjd_lint.pipeline import lint_file
    from openjd_lint.run import RunResult

    corpus = seeds()
    rng = random.Random(f"{seed}-{worker}")
    signal.signal(signal.SIGALRM, _on_alarm)
    crashes: dict = {}
    slowest = (0.0, "")
    for number in range(count):
        name, data = rng.choice(corpus)
        data = mutate(rng, data, rng.choice(corpus)[1])
        if rng.random() < 0.1:
            name = name.rsplit(".", 1)[0] + rng.choice((".json", ".yaml"))
        start = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            result = lint_file(data, name, REGISTRY, Config())
            run = RunResult(diagnostics=result.diagnostics, files_checked=1,
                            sources={name: result.source} if result.source is not None else {})
            # SARIF documents every rule in every run (25 ms); its per-result part is exercised on a sample
            for reporter in (text, json_reporter, github) + ((sarif,) if number % 50 == 0 else ()):
                reporter.render(run, color=reporter is text)
            problem = None
        except _Timeout:
            problem = f"took more than {timeout} s", f"timeout in {name}"
        except Exception:
            trace = traceback.format_exc()
            where = traceback.extract_tb(sys.exc_info()[2])[-1]
            problem = trace, f"{sys.exc_info()[0].__name__} at {where.filename}:{where.lineno}"
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        elapsed = time.perf_counter() - start
        if elapsed > slowest[0]:
            slowest = (elapsed, f"{name} (worker {worker}, input {number})")
        if problem is not None:
            trace, signature = problem
            if signature not in crashes:
                crashes[signature] = _save(crash_dir, name, data, trace, signature)
    return {"tried": count, "crashes": crashes, "slowest": slowest}


def _save(crash_dir: Path, name: str, data: bytes, trace: str, signature: str) -> str:
    crash_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(data).hexdigest()[:12]
    stem = crash_dir / f"{digest}-{name}"
    stem.write_bytes(data)
    Path(f"{stem}.txt").write_text(f"{signature}\n\n{trace}", encoding="utf-8")
    return str(stem)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=100_000, help="inputs to try (default 100000)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", default="0")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds one input may take")
    parser.add_argument("--crashes", type=Path, default=Path("fuzz-crashes"), help="where crashing inputs go")
    args = parser.parse_args()
    if not seeds():
        sys.exit(f"no seed templates found in {CONFORMANCE} or {ROOT / 'examples'}")
    shares = [args.n // args.jobs + (1 if worker < args.n % args.jobs else 0) for worker in range(args.jobs)]
    start = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(args.jobs) as pool:
        reports = pool.map(_worker, [(w, share, args.seed, args.timeout, args.crashes)
                                     for w, share in enumerate(shares)])
    elapsed = time.perf_counter() - start
    crashes = {signature: path for report in reports for signature, path in report["crashes"].items()}
    slowest = max(report["slowest"] for report in reports)
    tried = sum(report["tried"] for report in reports)
    print(f"inputs tried: {tried:,} in {elapsed:.1f} s ({tried / elapsed:,.0f}/s, {args.jobs} processes, "
          f"seed {args.seed!r})")
    print(f"slowest input: {slowest[0]:.3f} s, {slowest[1]}")
    print(f"distinct crashes: {len(crashes)}" + (f" (inputs in {args.crashes}/)" if crashes else ""))
    for signature, path in sorted(crashes.items()):
        print(f"  {signature}: {path}")
    sys.exit(1 if crashes else 0)


if __name__ == "__main__":
    main()
