"""Fuzzing of the whole per-file pipeline, the command line and the language server's analysis, run by hand.

    nice -n 10 python benchmarks/fuzz.py [-n 100000] [--jobs N] [--seed S] [--crashes DIR]

Most inputs are mutated from the conformance fixtures (../shared/conformance) and examples/: byte flips,
insertions of YAML and expression tokens, deletions, duplications, line shuffles and splices of two
seeds. The others are generated, one category each (`CATEGORIES`): templates with huge and odd numerals
in parameters, ranges and expressions; lone surrogates in names, strings and comprehensions;
regex-heavy expressions (catastrophic and unsupported patterns); comprehensions; directories of odd
files (dangling and looping links, FIFOs, a planted cache link, undecodable names) checked, fixed and
cleaned by the command line; and editing sessions, where the language server's worker analyses each
version while hover and completion run on the previous one. Each linted input is rendered by every
reporter. An exception, an exit code 3, a file outside the directory modified, or an input that takes
longer than --timeout seconds, is a crash: its input is saved to the crash directory with the
traceback, one file per distinct place of failure. Deterministic for a given --seed and --jobs. The
report gives the inputs tried per category, the slowest input and each process's peak memory.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import multiprocessing
import os
import random
import resource
import signal
import sys
import tempfile
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


# --- generated inputs ---------------------------------------------------------------------------------

NUMERALS = ["0", "-0", "+1", "00", "0x_", "0x1F", "0o17", "0o8", "0b102", "1_000", "1__0", "_1", "1e309", "-1e309",
            "1e-400", ".5", "5.", "1.5e", "0.1e+", ".inf", "-.inf", ".nan", "9223372036854775807",
            "9223372036854775808", "-9223372036854775809", "18446744073709551616", "1" * 4300, "1" * 4301,
            "-" + "9" * 5000, "0x" + "f" * 4000, "1" + "0" * 400 + ".5", "1e" + "9" * 30, "١٢٣", "１２"]
SURROGATES = ["\\ud800", "\\udfff", "\\ud83d", "\\ude00", "\\ud83d\\ude00", "\\udc80x", "a\\ud800b"]
PATTERNS = ["(a+)+$", "(a|aa)*b", "(a*)*b", "(x+x+)+y", "^(\\w+\\s?)*$", "(.*a){12}", "(a|a?)+$", "([a-z]+)*=",
            "\\d+", "\\w+", "[^\\W\\d]+", "(?i)[a-z]+", "(?m)^x$", "(?s).+", "(?x) a # c", "a{,3}", "a{2,1}",
            "a{1001}", "(a{999}){999}", "(?=a)", "(?<=a)b", "(a)\\1", "\\Z", "\\p{L}", "[[:alpha:]]", "(?P<n>a)(?P=n)",
            "(?a)x", "x*+", "(?>a)", "\\x{41}", "\\ud800", "[\\ud800-\\udfff]", "(", ")", "[", "*", "", "\\",
            "(" * 300 + "a" + ")" * 300, "a|" * 200 + "b", "[" + "a-" * 100 + "]", "\\b\\w+\\b", "\\B", "$", "^"]
TEXTS = ["''", "'abc'", "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'", "'a' * 30 + '!'", "'a' * 100000", "'ab1 cd2\\n'",
         "'été'", "'\\ud800x'", "Param.S", "Task.Param.Frame", "string(Param.X)", "'x' * 5000000"]


def _numeral(rng) -> str:
    return rng.choice(NUMERALS)


def _string(rng) -> str:
    return "'" + rng.choice(["", "a", "a b", "é", "x" * rng.randint(0, 50), rng.choice(SURROGATES)]) + "'"


def _expression(rng, depth: int = 0) -> str:
    if depth > 3:
        return rng.choice([_numeral(rng), _string(rng), "Param.X", "Param.S", "Task.Param.Frame", "x"])
    kind = rng.randrange(12)
    sub = lambda: _expression(rng, depth + 1)  # noqa: E731
    if kind == 0:
        return _numeral(rng)
    if kind == 1:
        return _string(rng)
    if kind in (2, 3):
        function = rng.choice(["re_match", "re_search", "re_findall", "re_sub", "re_split"])
        pattern = "'" + rng.choice(PATTERNS).replace("'", "\\'") + "'"
        args = [rng.choice(TEXTS), pattern] + (["'-'"] if function == "re_sub" else [])
        if function == "re_split" and rng.random() < 0.3:
            args.append(rng.choice(["1", "0", "-1", _numeral(rng)]))
        return f"{function}({', '.join(args)})"
    if kind in (4, 5):
        size = rng.choice(["3", "10", "1000", "Param.X", "100000", "3000000", _numeral(rng)])
        iterable = rng.choice([f"range({size})", "[1, 2, 3]", "'a b'.split()", f"range_expr('1-{size}')",
                               f"[{_string(rng)}, {_string(rng)}]", "[[1], [2]]"])
        condition = rng.choice(["", "", " if v > 1", " if v", f" if {sub()}"])
        element = rng.choice(["v", "v * 2", "string(v)", "[v]", sub(), f"[w for w in [v, v]]"])
        return f"[{element} for v in {iterable}{condition}]"
    if kind == 6:
        return f"{rng.choice(['len', 'string', 'sorted', 'flatten', 'unique', 'repr_sh', 'repr_json', 'sum', 'max', 'int', 'float'])}({sub()})"
    if kind == 7:
        return f"({sub()}) {rng.choice(['+', '-', '*', '/', '//', '%', '**', '==', '<', 'in', 'and', 'or'])} ({sub()})"
    if kind == 8:
        return f"[{', '.join(sub() for _ in range(rng.randint(0, 3)))}] * {rng.choice(['2', '1000', '1000000', _numeral(rng)])}"
    if kind == 9:
        return f"join([{_string(rng)}] * {rng.choice(['3', '100000'])}, {_string(rng)})"
    if kind == 10:
        return f"{sub()} if {sub()} else {sub()}"
    return rng.choice(["Param.X", "Param.S", "Task.Param.Frame", "x", "null", "true"])


def _generated_template(rng, category: str):
    """A job template whose parameters, ranges, `let`s and args carry the category's values."""
    numeral = _numeral if category == "numerals" else (lambda rng: rng.choice(["1", "10", "0"]))
    string = (lambda: rng.choice(SURROGATES)) if category == "surrogates" else (lambda: "x")
    lets = [_expression(rng) for _ in range(rng.randint(1, 3))]
    if category == "comprehensions":
        lets = [f"[v for v in range({rng.choice(['3', '1000', '200000', '3000000', _numeral(rng)])})]"] + lets
    elif category == "regex":
        lets = [_expression(rng) for _ in range(2)] + [f"re_findall('a' * {rng.choice(['10', '100000'])}, "
                                                          f"'{rng.choice(PATTERNS)}')".replace("\\", "\\\\")]
    document = {
        "specificationVersion": "jobtemplate-2023-09", "extensions": ["EXPR"], "name": "fuzz " + string(),
        "parameterDefinitions": [
            {"name": "X", "type": "INT", "default": numeral(rng), "minValue": numeral(rng)},
            {"name": "S", "type": "STRING", "default": string()},
        ],
        "steps": [{
            "name": "Step",
            "parameterSpace": {"taskParameterDefinitions": [
                {"name": "Frame", "type": "INT", "range": rng.choice([f"1-{numeral(rng)}", f"{numeral(rng)}",
                                                                        "{{Param.X}}", "1-10:0", "[1, 2]"])}]},
            "let": [f"l{i} = {e}" for i, e in enumerate(lets)],
            "script": {"actions": {"onRun": {"command": "echo", "args": [
                "{{" + _expression(rng) + "}}", "{{l0}}", "pre {{" + _expression(rng) + "}} post " + string()]}}},
        }],
    }
    if category == "numerals" and rng.random() < 0.5:
        document["parameterDefinitions"][0]["maxValue"] = numeral(rng)
    if rng.random() < 0.5:
        text = json.dumps(document, indent=1).replace("\\\\u", "\\u")
        return "generated.json", text.encode("utf-8", errors="surrogatepass")
    lines = [json.dumps(document, indent=1)]
    text = lines[0].replace("\\\\u", "\\u")  # JSON is YAML: "\ud800" stays an escape either way
    if rng.random() < 0.3:
        text = text.replace('"1"', "1").replace('"10"', "10")
    return "generated.yaml", text.encode("utf-8", errors="surrogatepass")


def _directory_case(rng, workspace: Path, seed_data: bytes, data: bytes) -> tuple:
    """A directory of odd files, and a command line to run over it; returns (argv, the files that must not change)."""
    from openjd_lint.cli import main  # noqa: F401  (imported where the worker runs)

    tree = workspace / "tree"
    outside = workspace / "outside"
    tree.mkdir()
    outside.mkdir()
    (outside / "keep.json").write_text("{}")
    (outside / ".gitignore").write_text("keep\n")
    (tree / "job.yaml").write_bytes(data)
    (tree / "seed.yaml").write_bytes(seed_data)
    oddities = rng.sample(["dangling", "loop", "fifo", "cache-link", "cache-file", "undecodable", "dotdot",
                           "unreadable", "outside-link", "empty", "deep"], rng.randint(1, 4))
    for oddity in oddities:
        if oddity == "dangling":
            os.symlink(workspace / "missing.yaml", tree / "dangling.yaml")
        elif oddity == "loop":
            os.symlink(tree, tree / "loop")
        elif oddity == "fifo":
            os.mkfifo(tree / "fifo.yaml")
        elif oddity == "cache-link":
            os.symlink(outside, tree / ".openjd-lint-cache")
        elif oddity == "cache-file":
            if "cache-link" not in oddities:
                (tree / ".openjd-lint-cache").write_bytes(b"not a directory")
        elif oddity == "undecodable":
            with contextlib.suppress(OSError, ValueError):
                (tree / os.fsdecode(b"bad-\xff.yaml")).write_bytes(data)
        elif oddity == "dotdot":
            (tree / "..yaml").write_bytes(data)
        elif oddity == "unreadable":
            (tree / "secret.yaml").write_bytes(data)
            os.chmod(tree / "secret.yaml", 0)
        elif oddity == "outside-link":
            os.symlink(outside / "keep.json", tree / "linked.json")
        elif oddity == "empty":
            (tree / "empty.yaml").write_bytes(b"")
        else:
            deep = tree.joinpath(*["d"] * 40)
            deep.mkdir(parents=True)
            (deep / "job.yaml").write_bytes(data)
    command = rng.choice([["check", "tree"], ["check", "--fix", "tree"], ["check", "--fix", "--unsafe-fixes", "tree"],
                          ["check", "--format", "json", "tree"], ["check", "--no-cache", "--format", "sarif", "tree"],
                          ["clean", "tree"], ["expand", "tree/job.yaml"],
                          ["expand", "--workdir", "work", "tree/job.yaml"]])
    return command, [outside / "keep.json", outside / ".gitignore"]


def _run_directory_case(rng, seed_data: bytes, data: bytes) -> None:
    from openjd_lint.cli import main

    with tempfile.TemporaryDirectory(prefix="openjd-lint-fuzz-") as directory:
        workspace = Path(directory)
        argv, guarded = _directory_case(rng, workspace, seed_data, data)
        before = [path.read_bytes() for path in guarded]
        cwd = os.getcwd()
        os.chdir(workspace)
        try:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as err:
                try:
                    code = main(argv)
                except SystemExit as exit_:
                    code = exit_.code
        finally:
            os.chdir(cwd)
            for path in workspace.rglob("*"):
                with contextlib.suppress(OSError):
                    if not path.is_symlink():
                        os.chmod(path, 0o700)
        if code not in (0, 1, 2):
            raise AssertionError(f"{' '.join(argv)} exited {code}: {err.getvalue()[-2000:]}")
        changed = [str(path) for path, data_before in zip(guarded, before) if path.read_bytes() != data_before]
        if changed:
            raise AssertionError(f"{' '.join(argv)} modified files outside the tree: {changed}")


def _run_editing_session(rng, data: bytes, other: bytes) -> None:
    """Versions of one document analysed by the language server's worker while hover and completion run
    on the previous analysis, as an editor interleaves them."""
    from openjd_lint.lsp.documents import analyse, half_typed
    from openjd_lint.lsp.hover import hover
    from openjd_lint.lsp.completion import completion
    from openjd_lint.lsp.worker import Worker

    worker = _editing_worker(Worker)
    text = data.decode("utf-8", errors="surrogateescape")
    previous = analyse(text, "/fuzz/session.yaml", 0)
    for version in range(1, rng.randint(2, 6)):
        text = mutate(rng, text.encode("utf-8", errors="surrogateescape"), other).decode("utf-8", "surrogateescape")
        future = worker.submit(lambda text=text, version=version: analyse(text, "/fuzz/session.yaml", version))
        for _ in range(3):
            offset = rng.randrange(len(previous.source.text) + 1)
            typed = half_typed(previous, offset)
            hover(typed, offset, "utf-16")
            completion(typed, offset, "utf-16")
        previous = future.result(timeout=60)


_WORKER = []


def _editing_worker(factory):
    if not _WORKER:
        _WORKER.append(factory())
    return _WORKER[0]


# What the generated share of the inputs is made of (the rest are mutated seeds), per 1000 inputs.
CATEGORIES = (("numerals", 80), ("surrogates", 60), ("regex", 80), ("comprehensions", 60), ("directories", 15),
              ("edits", 15))


def _category(rng) -> str:
    draw = rng.randrange(1000)
    for name, share in CATEGORIES:
        if draw < share:
            return name
        draw -= share
    return "mutations"


class _Timeout(BaseException):  # not an Exception: the linter turns a rule's exception into a finding
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
    slowest_input = ("", b"")
    peak = (0.0, "")
    tried: dict = {}
    for number in range(count):
        category = _category(rng)
        tried[category] = tried.get(category, 0) + 1
        name, data = rng.choice(corpus)
        other = rng.choice(corpus)[1]
        if category in ("numerals", "surrogates", "regex", "comprehensions"):
            name, data = _generated_template(rng, category)
            if rng.random() < 0.2:
                data = mutate(rng, data, other)
        else:
            data = mutate(rng, data, other)
        if category == "mutations" and rng.random() < 0.1:
            name = name.rsplit(".", 1)[0] + rng.choice((".json", ".yaml"))
        start = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            if category == "directories":
                _run_directory_case(rng, other, data)
            elif category == "edits":
                _run_editing_session(rng, data, other)
            else:
                result = lint_file(data, name, REGISTRY, Config())
                run = RunResult(diagnostics=result.diagnostics, files_checked=1,
                                sources={name: result.source} if result.source is not None else {})
                # SARIF documents every rule in every run (25 ms); its per-result part is exercised on a sample
                for reporter in (text, json_reporter, github) + ((sarif,) if number % 50 == 0 else ()):
                    reporter.render(run, color=reporter is text)
            problem = None
        except _Timeout:
            problem = f"took more than {timeout} s", f"timeout in {category} {name}"
        except Exception:
            trace = traceback.format_exc()
            where = traceback.extract_tb(sys.exc_info()[2])[-1]
            problem = trace, f"{sys.exc_info()[0].__name__} at {where.filename}:{where.lineno} ({category})"
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        elapsed = time.perf_counter() - start
        if elapsed > slowest[0]:
            slowest = (elapsed, f"{category} {name} (worker {worker}, input {number})")
            slowest_input = (name, data)
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if grown > peak[0]:
            peak = (grown, f"{category} {name} (worker {worker}, input {number})")
        if problem is not None:
            trace, signature = problem
            if signature not in crashes:
                crashes[signature] = _save(crash_dir, name, data, trace, signature)
    _save(crash_dir / "slowest", *slowest_input, f"{slowest[0]:.3f} s", slowest[1])
    return {"tried": tried, "crashes": crashes, "slowest": slowest, "peak": peak}


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
    parser.add_argument("--timeout", type=float, default=2.0, help="seconds one input may take (default 2)")
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
    tried: dict = {}
    for report in reports:
        for category, number in report["tried"].items():
            tried[category] = tried.get(category, 0) + number
    total = sum(tried.values())
    print(f"inputs tried: {total:,} in {elapsed:.1f} s ({total / elapsed:,.0f}/s, {args.jobs} processes, "
          f"seed {args.seed!r})")
    print("  " + ", ".join(f"{category} {number:,}" for category, number in sorted(tried.items())))
    print(f"slowest input: {slowest[0]:.3f} s, {slowest[1]}")
    peak = max(report["peak"] for report in reports)
    print(f"peak memory: {peak[0]:.0f} MB (largest process), reached at {peak[1]}")
    print(f"distinct crashes: {len(crashes)}" + (f" (inputs in {args.crashes}/)" if crashes else ""))
    for signature, path in sorted(crashes.items()):
        print(f"  {signature}: {path}")
    sys.exit(1 if crashes else 0)


if __name__ == "__main__":
    main()
