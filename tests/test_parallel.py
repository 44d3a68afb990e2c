"""Many files: worker processes give the same result as one process, and --max-file-size reports a
larger file without reading it."""

import concurrent.futures
import shutil
from pathlib import Path

import pytest

from openjd_lint import parallel
from openjd_lint.discover import Target, discover
from openjd_lint.findings import Finding, Severity
from openjd_lint.rule_api import Registry, Rule
from openjd_lint.rules import REGISTRY
from openjd_lint.cli import parse_size
from openjd_lint.config import config_finder
from openjd_lint.run import Options, run_targets

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture
def many_templates(tmp_path):
    for copy in range(12):
        shutil.copytree(EXAMPLES, tmp_path / f"copy{copy:02}")
    return discover([str(tmp_path)])


@pytest.fixture
def started(monkeypatch) -> list:
    """The worker counts of the process pools started, with no size threshold for starting one."""
    monkeypatch.setattr(parallel, "_MIN_BYTES_FOR_PROCESSES", 0)
    counts = []

    class RecordingPool(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, workers, **kwargs):
            counts.append(workers)
            super().__init__(workers, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", RecordingPool)
    return counts


def outcome(run):
    return ([(d.sort_key, d.severity, d.hint, d.related, d.fix) for d in run.diagnostics], run.files_checked,
            run.failed, {name: source.text for name, source in run.sources.items()})


def test_worker_processes_give_the_result_of_one_process(many_templates, started):
    one = run_targets(many_templates, REGISTRY, Options(config_finder(REGISTRY), jobs=1))
    assert not started
    two = run_targets(many_templates, REGISTRY, Options(config_finder(REGISTRY), jobs=2))
    assert started == [2]
    assert outcome(two) == outcome(one)
    assert one.files_checked == len(many_templates) and one.diagnostics


def test_a_custom_registry_reaches_the_workers(many_templates, started):
    # every rule but one family, and one rule whose check is a closure (it cannot be pickled)
    marker = Rule("Z001", "marker", Severity.WARNING, "every template", "", "", "", check=lambda ctx: [
        Finding("Z001", "seen by a worker", ())])
    custom = Registry([*(rule for rule in REGISTRY if not rule.id.startswith("W")), marker])
    one = run_targets(many_templates, custom, Options(config_finder(custom), jobs=1))
    two = run_targets(many_templates, custom, Options(config_finder(custom), jobs=2))
    assert started == [2]
    assert outcome(two) == outcome(one)
    assert {d.rule for d in two.diagnostics if d.rule == "Z001"} and not any(d.rule[0] == "W" for d in two.diagnostics)


def test_few_bytes_stay_in_this_process(many_templates, monkeypatch):
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", None)  # starting one would fail
    assert run_targets(many_templates, REGISTRY, Options(config_finder(REGISTRY), jobs=4)).files_checked


def test_chunks_keep_the_order():
    items = list(range(10))
    chunks = parallel._chunks(items, 4)
    assert [i for chunk in chunks for i in chunk] == items and len(chunks) <= 4


@pytest.mark.parametrize("text, size", [("1048576", 1 << 20), ("512K", 512 << 10), ("10M", 10 << 20),
                                        ("1g", 1 << 30), ("10MB", 10 << 20)])
def test_sizes(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "M", "-1", "0", "ten", "1.5M"])
def test_bad_sizes(text):
    with pytest.raises(ValueError):
        parse_size(text)


def test_a_file_over_the_limit_is_reported_unread(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"specificationVersion: jobtemplate-2023-09\n" + b"#" * 4096)
    # (test_hostile_input shows by its peak memory that a file over the limit is not read)
    run = run_targets([Target(str(big), explicit=True)], REGISTRY,
                      Options(config_finder(REGISTRY), max_file_size=1024))
    assert [(d.rule, d.name, d.line) for d in run.diagnostics] == [("L011", "file-too-large", 1)]
    assert "4,138 bytes" in run.diagnostics[0].message and run.failed


def test_a_large_non_template_found_by_walking_is_skipped(tmp_path):
    (tmp_path / "data.json").write_bytes(b"[" + b"0," * 4096 + b"0]")
    (tmp_path / "job.yaml").write_bytes(b"specificationVersion: jobtemplate-2023-09\n" + b"#" * 4096)
    run = run_targets(discover([str(tmp_path)]), REGISTRY, Options(config_finder(REGISTRY), max_file_size=1024))
    assert [(Path(d.file).name, d.rule) for d in run.diagnostics] == [("job.yaml", "L011")]


def test_the_finding_follows_the_configuration(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.openjd-lint]\nseverity = { L = "warning" }\n')
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * 4096)
    run = run_targets([Target(str(big), explicit=True)], REGISTRY, Options(config_finder(REGISTRY), max_file_size=1024))
    assert [d.severity.label for d in run.diagnostics] == ["warning"]


def test_a_walked_file_that_is_no_longer_regular_is_skipped_without_blocking(tmp_path):
    import os

    (tmp_path / "job.yaml").write_text("specificationVersion: jobtemplate-2023-09\nname: x\n")
    (tmp_path / "later-a-fifo.yaml").write_text("specificationVersion: jobtemplate-2023-09\n")
    targets = discover([str(tmp_path)])
    (tmp_path / "later-a-fifo.yaml").unlink()
    os.mkfifo(tmp_path / "later-a-fifo.yaml")  # replaced between the walk and the read
    run = run_targets(targets, REGISTRY, Options(config_finder(REGISTRY)))
    assert run.files_checked == 1
    assert run.skipped == [(str(tmp_path / "later-a-fifo.yaml"), "a FIFO (named pipe), not a regular file")]


def test_a_named_file_that_cannot_be_opened_is_a_usage_error(tmp_path, monkeypatch, capsys):
    import errno
    import os

    from openjd_lint.cli import main

    job = tmp_path / "job.yaml"
    job.write_text("specificationVersion: jobtemplate-2023-09\n")
    real_open = os.open

    def refusing_open(path, *args, **kwargs):
        if str(path) == str(job):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing_open)
    assert main(["check", "--no-cache", str(job)]) == 2
    assert capsys.readouterr().err == f"openjd-lint: error: cannot read {job}: Permission denied\n"
