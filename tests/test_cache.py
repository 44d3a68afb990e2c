"""The on-disk cache: a warm run prints the same bytes as a cold one without linting, and a changed
file, configuration or option is linted again."""

import io
import json
import os
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from openjd_lint import run as run_module
from openjd_lint.cache import CACHE_DIRECTORY, refusal
from openjd_lint.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def cli(*args, cwd):
    return cli_err(*args, cwd=cwd)[:2]


def cli_err(*args, cwd):
    out, err = io.StringIO(), io.StringIO()
    previous = os.getcwd()
    os.chdir(cwd)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = main(list(args))
    finally:
        os.chdir(previous)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def project(tmp_path):
    shutil.copytree(EXAMPLES, tmp_path / "templates")
    broken = (EXAMPLES / "broken" / "render-job-broken.yaml").read_text()
    # files whose text the cache rebuilds differently from plain UTF-8, or not at all
    (tmp_path / "templates" / "bom-crlf.yaml").write_bytes(b"\xef\xbb\xbf" + broken.replace("\n", "\r\n").encode())
    (tmp_path / "templates" / "latin-1.yaml").write_bytes(broken.encode().replace(b"timeOut", b"tim\xe9Out"))
    (tmp_path / "templates" / "broken.json").write_text('{"specificationVersion": "jobtemplate-2023-09", "x": [}')
    return tmp_path


def test_warm_run_prints_the_same_bytes_without_linting(project, monkeypatch):
    for output_format in ("text", "json", "sarif", "github"):
        cold = cli("check", "--format", output_format, "templates", cwd=project)
        assert (project / CACHE_DIRECTORY / "CACHEDIR.TAG").is_file()
        with monkeypatch.context() as patch:
            patch.setattr(run_module, "lint_file", lambda *a, **k: pytest.fail("linted although cached"))
            warm = cli("check", "--format", output_format, "templates", cwd=project)
        assert warm == cold
        assert cold == cli("check", "--no-cache", "--format", output_format, "templates", cwd=project)
        assert cold[0] == 1 and "render-job-broken.yaml" in cold[1]


def test_a_changed_file_is_linted_again(project):
    cli("check", "templates", cwd=project)
    broken = project / "templates" / "broken" / "render-job-broken.yaml"
    broken.write_text(broken.read_text().replace("timeOut:", "timeout:"))
    after = cli("check", "--format", "json", "templates", cwd=project)
    assert after == cli("check", "--no-cache", "--format", "json", "templates", cwd=project)
    assert not [f for f in json.loads(after[1])["findings"]
                if f["file"].endswith("render-job-broken.yaml") and "timeOut" in f["message"]]


def test_a_changed_configuration_is_linted_again(project):
    first = cli("check", "--format", "json", "templates", cwd=project)
    (project / "pyproject.toml").write_text('[tool.openjd-lint]\nignore = ["S002"]\n')
    second = cli("check", "--format", "json", "templates", cwd=project)
    assert second == cli("check", "--no-cache", "--format", "json", "templates", cwd=project)
    assert '"S002"' in first[1] and '"S002"' not in second[1]


def test_options_that_change_findings_are_part_of_the_key(project):
    suppressed = project / "templates" / "suppressed.yaml"
    suppressed.write_text((EXAMPLES / "render-job.yaml").read_text() + "bogus: 1  # openjd-lint: disable=S002\n")
    with_comments = cli("check", "--format", "json", "templates/suppressed.yaml", cwd=project)
    without = cli("check", "--format", "json", "--no-inline-suppressions", "templates/suppressed.yaml", cwd=project)
    assert '"S002"' not in with_comments[1] and '"S002"' in without[1]


def test_a_corrupt_cache_is_linted_again(project):
    cold = cli("check", "--format", "json", "templates", cwd=project)
    (stored,) = (project / CACHE_DIRECTORY).glob("*.json")
    for garbage in ("{not json", "[]", '{"format": 1, "files": []}', '{"format": 1, "files": {"templates/x": 1}}'):
        stored.write_text(garbage)
        assert cli("check", "--format", "json", "templates", cwd=project) == cold


def _linted_files(directory) -> list:
    """The files linted one by one (a bundle's values are checked with their bundle, and are not cached)."""
    return [p for p in directory.rglob("*.*") if p.suffix in (".yaml", ".json") and p.stem != "parameter_values"]


def test_entries_are_json_not_pickle(project):
    cli("check", "templates", cwd=project)
    (stored,) = (project / CACHE_DIRECTORY).glob("*.json")
    rows = json.loads(stored.read_text())["files"]
    assert len(rows) == len(_linted_files(project / "templates"))
    assert {key for _, entry in rows.values() for key in entry} == {"template", "decoded", "diagnostics"}


def test_one_row_per_file_and_one_file_per_linter(project, monkeypatch):
    from openjd_lint import cache

    cli("check", "templates", cwd=project)
    job = project / "templates" / "render-job.yaml"
    job.write_text(job.read_text() + "# edited\n")
    cli("check", "templates", cwd=project)
    (stored,) = (project / CACHE_DIRECTORY).glob("*.json")
    assert len(json.loads(stored.read_text())["files"]) == len(_linted_files(project / "templates"))
    monkeypatch.setattr(cache, "_LINTER_FINGERPRINT", ["0.0.0-another"])
    cli("check", "templates", cwd=project)
    assert [p.name for p in (project / CACHE_DIRECTORY).glob("*.json")] == ["0.0.0-another.json"]


def test_fixing_neither_reads_nor_writes_the_cache(project):
    cli("check", "--diff", "templates", cwd=project)
    assert not (project / CACHE_DIRECTORY).exists()


def test_clean_removes_the_cache(project):
    cli("check", "templates", cwd=project)
    assert (project / CACHE_DIRECTORY).is_dir()
    assert cli("clean", cwd=project)[0] == 0
    assert not (project / CACHE_DIRECTORY).exists()
    assert cli("clean", cwd=project)[0] == 0


def test_the_cache_lives_next_to_the_config_file(project):
    config = project / "settings" / ".openjd-lint.toml"
    config.parent.mkdir()
    config.write_text('ignore = ["T"]\n')
    elsewhere = project / "elsewhere"
    elsewhere.mkdir()
    cli("check", "--config", str(config), str(project / "templates"), cwd=elsewhere)
    assert (config.parent / CACHE_DIRECTORY).is_dir()
    assert not (elsewhere / CACHE_DIRECTORY).exists()


def test_a_file_name_that_is_not_utf_8(project):
    name = os.fsdecode(b"caf\xe9.yaml")
    shutil.copy(EXAMPLES / "broken" / "render-job-broken.yaml", project / "templates" / name)
    cold = cli("check", "--format", "json", "templates", cwd=project)
    assert cli("check", "--format", "json", "templates", cwd=project) == cold
    assert name in cold[1]


# ------------------------------------------------------------------- a cache location from anywhere

def snapshot(directory: Path) -> dict:
    return {str(p.relative_to(directory)): (p.readlink() if p.is_symlink() else p.is_dir() or p.read_bytes())
            for p in sorted(directory.rglob("*"))}


@pytest.fixture
def outside(tmp_path):
    """A directory the linter must never change: it looks like a cache and holds a .gitignore."""
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "data.json").write_text('{"precious": true}')
    (victim / ".gitignore").write_text("build/\n")
    (victim / "0.0.1-0123456789abcdef.json").write_text("a file with a cache file's name")
    return victim


@pytest.mark.parametrize("plant", ["symlink", "untagged-directory", "file", "symlinked-tag"])
def test_a_cache_location_it_did_not_make_is_refused(project, outside, plant):
    location = project / CACHE_DIRECTORY
    if plant == "symlink":
        location.symlink_to(outside, target_is_directory=True)
    elif plant == "untagged-directory":
        shutil.copytree(outside, location)
    elif plant == "file":
        location.write_text("not a directory")
    else:
        location.mkdir()
        (outside / "CACHEDIR.TAG").write_text("Signature: 8a477f597d28d172789f06886806bc55\n# openjd-lint\n")
        (location / "CACHEDIR.TAG").symlink_to(outside / "CACHEDIR.TAG")
    before, planted = snapshot(outside), snapshot(project / "templates")
    code, out, err = cli_err("check", "--format", "json", "templates", cwd=project)
    assert (code, out) == cli("check", "--no-cache", "--format", "json", "templates", cwd=project)
    (warning,) = err.splitlines()
    assert warning.startswith(f"openjd-lint: warning: not using the cache: {location} ")
    assert snapshot(outside) == before and snapshot(project / "templates") == planted
    assert cli_err("clean", cwd=project)[::2] == (0, f"openjd-lint: warning: {refusal(str(location))}; left alone\n")
    assert snapshot(outside) == before and os.path.lexists(location)


def test_only_files_with_its_own_names_are_deleted(project, outside):
    cli("check", "templates", cwd=project)
    cache = project / CACHE_DIRECTORY
    (cache / "notes.json").write_text("kept")
    (cache / ".gitignore").write_text("*\n!notes.json\n")
    (stored,) = cache.glob("*-*.json")
    (cache / "0.0.1-fedcba9876543210.json").symlink_to(outside / "data.json")  # a link with a cache file's name
    stored.unlink()
    stored.symlink_to(outside / "0.0.1-0123456789abcdef.json")  # the current cache file: replaced, not followed
    before = snapshot(outside)
    cold = cli("check", "--format", "json", "templates", cwd=project)
    assert cli("check", "--format", "json", "templates", cwd=project) == cold
    assert snapshot(outside) == before
    assert stored.is_file() and not stored.is_symlink()
    assert sorted(p.name for p in cache.iterdir()) == sorted([".gitignore", "CACHEDIR.TAG", "notes.json", stored.name])
    assert (cache / ".gitignore").read_text() == "*\n!notes.json\n"
    code, _, err = cli_err("clean", cwd=project)
    assert code == 0 and "notes.json" in err and "kept" in err
    assert sorted(p.name for p in cache.iterdir()) == [".gitignore", "CACHEDIR.TAG", "notes.json"]
    assert snapshot(outside) == before


def test_a_cache_entry_of_the_wrong_types_is_linted_again(project):
    cold = cli("check", "--format", "json", "templates", cwd=project)
    (stored,) = (project / CACHE_DIRECTORY).glob("*.json")
    document = json.loads(stored.read_text())
    name, (key, entry) = next((n, r) for n, r in document["files"].items() if r[1]["diagnostics"])
    diagnostic = entry["diagnostics"][0]
    corruptions = [{**entry, "diagnostics": "x"}, {**entry, "template": "yes"}, [1, 2, 3], None]
    for index, wrong in [(1, "7"), (1, True), (1, 0), (3, 0), (7, 99), (8, None), (9, 5), (10, [[1]]), (11, ["x"]),
                         (10, [["f", 1, 1, 1, "1", "m"]]), (11, ["d", True, [[0, "1", ""]]])]:
        changed = list(diagnostic)
        changed[index] = wrong
        corruptions.append({**entry, "diagnostics": [changed] + entry["diagnostics"][1:]})
    corruptions.append({**entry, "diagnostics": [diagnostic[:-1]]})
    for corrupt in corruptions:
        document["files"][name] = [key, corrupt]
        stored.write_text(json.dumps(document))
        assert cli("check", "--format", "json", "templates", cwd=project) == cold, corrupt


def test_clean_keeps_a_directory_with_a_cache_file_name_and_the_tag(project):
    cli("check", "templates", cwd=project)
    cache = project / CACHE_DIRECTORY
    (stored,) = cache.glob("*-*.json")
    planted = cache / "0.0.8-bbbbbbbbbbbbbbbb.json"
    planted.mkdir()
    (planted / "inside.json").write_text("kept")
    code, _, err = cli_err("clean", cwd=project)
    assert code == 0 and planted.name in err and "kept" in err
    assert sorted(p.name for p in cache.iterdir()) == [".gitignore", planted.name, "CACHEDIR.TAG"]
    assert refusal(str(cache)) is None and (planted / "inside.json").read_text() == "kept"
    assert not stored.exists()
