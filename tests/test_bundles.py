"""Job bundles (job-bundles.md): recognition, parameter values against definitions, `-p` on check, the
bundle's files, and the public Deadline Cloud samples."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from openjd_lint.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT.parent / "shared" / "realworld" / "aws-deadline+deadline-cloud-samples"

# The digest's example A (§6): a render bundle with a bundle-relative input.
TEMPLATE = """\
specificationVersion: jobtemplate-2023-09
name: Shot render
parameterDefinitions:
- {name: SceneFile, type: PATH, objectType: FILE, dataFlow: IN, default: scenes/shot.blend}
- {name: OutputDir, type: PATH, objectType: DIRECTORY, dataFlow: OUT, default: out}
- {name: Frames, type: STRING, default: "1-24"}
- {name: Quality, type: INT, minValue: 1, maxValue: 100, default: 80}
- {name: CondaPackages, type: STRING, default: blender}
- {name: Format, type: STRING, allowedValues: [JPEG, PNG], default: PNG}
steps:
- name: Render
  parameterSpace: {taskParameterDefinitions: [{name: Frame, type: INT, range: "{{Param.Frames}}"}]}
  script: {actions: {onRun: {command: blender, args: ["-b", "{{Param.SceneFile}}", "-f", "{{Task.Param.Frame}}"]}}}
"""
VALUES = """\
parameterValues:
- {name: Quality, value: 95}
- {name: 'deadline:priority', value: 70}
- {name: 'deadline:targetTaskRunStatus', value: SUSPENDED}
- {name: 'blender:renderEngine', value: CYCLES}
"""


# Three entries before the one under test, which is on line 5.
BASE_VALUES = """\
parameterValues:
- {name: 'deadline:priority', value: 70}
- {name: 'blender:renderEngine', value: CYCLES}
- {name: OutputDir, value: /tmp/out}
"""


def make_bundle(directory: Path, template: str = TEMPLATE, values: str = VALUES, **files) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "template.yaml").write_text(template)
    if values is not None:
        (directory / "parameter_values.yaml").write_text(values)
    (directory / "scenes").mkdir(exist_ok=True)
    (directory / "scenes" / "shot.blend").write_text("scene")
    for name, text in files.items():
        (directory / name.replace("__", ".")).write_text(text)
    return directory


def findings(capsys, *args) -> tuple:
    code = main(["check", "--no-cache", "--format", "json", *map(str, args)])
    out = json.loads(capsys.readouterr().out)
    return code, [(os.path.basename(f["file"]), f["line"], f["column"], f["rule"], f["severity"])
                  for f in out["findings"]], out


def test_a_good_bundle_is_clean(tmp_path, capsys):
    bundle = make_bundle(tmp_path / "render")
    code, found, out = findings(capsys, bundle)
    assert (code, found, out["files_checked"]) == (0, [], 2)


def test_the_good_example_bundle_is_clean_and_the_broken_one_reports_each_mistake(capsys):
    assert findings(capsys, ROOT / "examples" / "bundles")[:2] == (0, [])
    code, found, _ = findings(capsys, ROOT / "examples" / "broken" / "bundle-shot-render")
    assert code == 1
    assert [(f, line, rule) for f, line, _, rule, _ in found] == [
        ("parameter_values.yaml", 2, "B005"), ("parameter_values.yaml", 5, "B007"),
        ("parameter_values.yaml", 7, "B007"), ("parameter_values.yaml", 8, "B006"),
        ("parameter_values.yaml", 10, "B008"),
        ("template.yaml", 9, "B011"), ("template.yaml", 12, "B010"), ("template.yaml", 13, "B009")]


@pytest.mark.parametrize("entry, expected", [
    # digest table #1: unknown unprefixed name, at the name
    ("- {name: Qualty, value: 90}", (5, 10, "B005", "warning")),
    # #2: not an integer, at the value (also a float and a list)
    ("- {name: Quality, value: high}", (5, 26, "B007", "error")),
    ("- {name: Quality, value: 2.5}", (5, 26, "B007", "error")),
    ("- {name: Quality, value: [1]}", (5, 19, "B007", "error")),  # a list or mapping: at its key
    # #3: over maxValue; not one of allowedValues
    ("- {name: Quality, value: 150}", (5, 26, "B007", "error")),
    ("- {name: Format, value: TIFF}", (5, 25, "B007", "error")),
    ("- {name: Frames, value: 5}", (5, 25, "B007", "error")),  # a STRING given a number
    # #8: unknown deadline: name; a deadline: value of the wrong type or range
    ("- {name: 'deadline:prority', value: 70}", (5, 10, "B006", "error")),
    ("- {name: 'deadline:targetTaskRunStatus', value: PAUSED}", (5, 49, "B007", "error")),
    ("- {name: 'deadline:maxRetriesPerTask', value: -1}", (5, 47, "B007", "error")),
    ("- {name: 'deadline:maxFailedTasksCount', value: '7'}", (5, 49, "B007", "error")),
    # relative PATH value, entries without name or value, a duplicate
    ("- {name: SceneFile, value: scenes/other.blend}", (5, 28, "B014", "warning")),
    ("- {name: Format}", (5, 3, "B004", "error")),
    ("- {value: 3}", (5, 3, "B004", "error")),
    ("- {name: 3, value: 3}", (5, 10, "B004", "error")),
    ("- {name: 'deadline:priority', value: 50}", (5, 10, "B008", "warning")),
])
def test_each_value_mistake_at_its_place_in_the_values_file(tmp_path, capsys, entry, expected):
    bundle = make_bundle(tmp_path / "b", values=BASE_VALUES + entry + "\n")
    code, found, _ = findings(capsys, bundle)
    assert found == [("parameter_values.yaml", *expected)]
    assert code == (1 if expected[-1] == "error" else 0)


def test_other_prefixes_and_known_names_are_silent(tmp_path, capsys):
    values = VALUES + "- {name: 'maya:renderer', value: [1, 2]}\n- {name: SceneFile, value: /mnt/x.blend}\n"
    assert findings(capsys, make_bundle(tmp_path / "b", values=values))[:2] == (0, [])


def test_unknown_name_says_did_you_mean_and_queue_environments(tmp_path, capsys):
    bundle = make_bundle(tmp_path / "b", values="parameterValues:\n- {name: Qualty, value: 90}\n")
    _, _, out = findings(capsys, bundle)
    finding = out["findings"][0]
    assert 'did you mean "Quality"?' in finding["message"]
    assert "--env" in finding["hint"] and "queue-parameters" in finding["hint"] and "myapp:Qualty" in finding["hint"]


QUEUE_ENV = """\
specificationVersion: environment-2023-09
parameterDefinitions:
- {name: RezPackages, type: STRING, default: "", maxLength: 10}
environment:
  name: Rez
  variables: {REZ: "{{Param.RezPackages}}"}
"""


def test_queue_environments_declare_names(tmp_path, capsys):
    values = "parameterValues:\n- {name: RezPackages, value: maya-2025}\n- {name: CondaPacks, value: x}\n"
    bundle = make_bundle(tmp_path / "b", values=values)
    env = tmp_path / "queue.yaml"
    env.write_text(QUEUE_ENV)
    assert findings(capsys, bundle)[1] == [("parameter_values.yaml", 2, 10, "B005", "warning"),
                                           ("parameter_values.yaml", 3, 10, "B005", "warning")]
    # with the queue's environments the known name is checked against their definition, the other is an error
    code, found, _ = findings(capsys, bundle, "--env", env)
    assert code == 1
    assert found == [("parameter_values.yaml", 3, 10, "B005", "error")]
    (tmp_path / "b" / "parameter_values.yaml").write_text(values.replace("maya-2025", "maya-2025.1.2"))
    assert findings(capsys, bundle, "--env", env)[1] == [("parameter_values.yaml", 2, 30, "B007", "error"),
                                                         ("parameter_values.yaml", 3, 10, "B005", "error")]
    # or the configuration lists them
    (tmp_path / "b" / "parameter_values.yaml").write_text(values)
    (tmp_path / ".openjd-lint.toml").write_text('queue-parameters = ["RezPackages", "CondaPacks"]\n')
    assert findings(capsys, bundle)[:2] == (0, [])


def test_missing_value_only_when_the_submission_is_described(tmp_path, capsys):
    template = TEMPLATE.replace(", default: scenes/shot.blend", "")
    bare = make_bundle(tmp_path / "form", template=template, values=None)
    assert findings(capsys, bare)[:2] == (0, [])  # a form the submitter fills in
    described = make_bundle(tmp_path / "job", template=template)
    assert findings(capsys, described)[1] == [("template.yaml", 4, 10, "B009", "warning")]
    assert findings(capsys, bare, "-p", "Quality=5")[1] == [("template.yaml", 4, 10, "B009", "warning")]
    assert findings(capsys, described, "-p", "SceneFile=/x.blend")[:2] == (0, [])


def test_given_values_are_checked_like_expand_at_the_definition(tmp_path, capsys):
    bundle = make_bundle(tmp_path / "b", values=None)
    code, found, out = findings(capsys, bundle, "-p", "Quality=high", "-p", "Format=PNG")
    assert (code, found) == (1, [("template.yaml", 7, 10, "B007", "error")])
    assert out["findings"][0]["message"].startswith("-p Quality=high: ")
    job = tmp_path / "job.yaml"  # not in a bundle: the same checks
    job.write_text(TEMPLATE)
    assert findings(capsys, job, "-p", "Quality=101")[1] == [("job.yaml", 7, 10, "B007", "error")]
    assert findings(capsys, job, "-p", "Quality=100")[:2] == (0, [])
    assert main(["check", "--no-cache", str(job), "-p", "Qualty=1"]) == 2
    assert "unknown job parameter 'Qualty'" in capsys.readouterr().err
    assert main(["check", "--no-cache", str(job), "-p", "Quality"]) == 2


def test_given_values_for_queue_environments(tmp_path, capsys):
    job = tmp_path / "job.yaml"
    job.write_text(TEMPLATE)
    env = tmp_path / "queue.yaml"
    env.write_text(QUEUE_ENV)
    code, found, _ = findings(capsys, job, "--env", env, "-p", "RezPackages=much-too-long")
    assert (code, found) == (1, [("queue.yaml", 3, 10, "B007", "error")])
    assert findings(capsys, job, "--env", env, "-p", "RezPackages=maya")[:2] == (0, [])


def test_json_values_file_positions(tmp_path, capsys):
    values = '{"parameterValues": [\n  {"name": "Quality", "value": "high"},\n  {"name": "Qualty", "value": 1}\n]}\n'
    bundle = make_bundle(tmp_path / "b", values=None, parameter_values__json=values)
    assert findings(capsys, bundle)[1] == [("parameter_values.json", 2, 32, "B007", "error"),
                                           ("parameter_values.json", 3, 12, "B005", "warning")]


def test_values_file_problems_and_suppressions(tmp_path, capsys):
    bundle = make_bundle(tmp_path / "b", values="parameterValues: [\n")
    assert [f[3] for f in findings(capsys, bundle)[1]] == ["L001"]
    (bundle / "parameter_values.yaml").write_text("")  # empty: absent
    assert findings(capsys, bundle)[:2] == (0, [])
    (bundle / "parameter_values.yaml").write_text("parameterValues: {name: Quality}\n")
    assert findings(capsys, bundle)[1] == [("parameter_values.yaml", 1, 1, "B004", "error")]
    (bundle / "parameter_values.yaml").write_text(
        "parameterValues:\n- {name: Qualty, value: 1}  # openjd-lint: disable=B005 -- for our submitter\n"
        "- {name: Quality, value: 1}  # openjd-lint: disable=B007\n")
    assert findings(capsys, bundle)[1] == [("parameter_values.yaml", 3, 53, "M001", "warning")]


def test_naming_the_values_file_checks_its_bundle(tmp_path, capsys):
    bundle = make_bundle(tmp_path / "b", values="parameterValues:\n- {name: Qualty, value: 1}\n")
    assert findings(capsys, bundle / "parameter_values.yaml")[1] == [("parameter_values.yaml", 2, 10, "B005", "warning")]
    assert findings(capsys, "--only-templates", bundle / "parameter_values.yaml")[1] == [
        ("parameter_values.yaml", 2, 10, "B005", "warning")]


def test_bundle_files(tmp_path, capsys):
    bundle = make_bundle(tmp_path / "b", template_json="{}", parameter_values__yml="parameterValues: []\n")
    os.rename(bundle / "template_json", bundle / "template.json")
    os.symlink("/", bundle / "root")
    os.symlink("shot.blend", bundle / "scenes" / "current.blend")  # inside: fine
    found = findings(capsys, bundle)[1]
    assert ("template.yaml", 1, 1, "B001", "error") in found
    assert ("parameter_values.yml", 1, 1, "B002", "warning") in found
    assert ("root", 1, 1, "B003", "error") in found
    assert len(found) == 3


@pytest.mark.parametrize("default, expected", [
    ("/mnt/shots/shot.blend", ("B010", "error")),
    ("../outside.blend", ("B010", "error")),
    ("scenes/shott.blend", ("B011", "warning")),
    ("scenes", ("B012", "error")),
])
def test_path_defaults(tmp_path, capsys, default, expected):
    bundle = make_bundle(tmp_path / "b", template=TEMPLATE.replace("scenes/shot.blend", default), values=None)
    assert findings(capsys, bundle)[1] == [("template.yaml", 4, 74, *expected)]
    # a value in the values file replaces the default before it is resolved
    (bundle / "parameter_values.yaml").write_text("parameterValues:\n- {name: SceneFile, value: /mnt/a.blend}\n")
    assert findings(capsys, bundle)[1] == []


def test_a_default_that_a_link_takes_out_of_the_bundle(tmp_path, capsys):
    bundle = make_bundle(tmp_path / "b", template=TEMPLATE.replace("scenes/shot.blend", "data/shot.blend"),
                         values=None)
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", bundle / "data")
    assert [f[3] for f in findings(capsys, bundle)[1]] == ["B003", "B010"]


@pytest.mark.parametrize("text, expected", [
    ("assetReferences:\n  inputs:\n    files: [a]\n", [(3, 5, "B013", "warning")]),
    ("assetReferences:\n  inputs: [a]\n", [(2, 3, "B013", "error")]),
    ("assetReferences:\n  referencedPaths: [1]\n", [(2, 21, "B013", "error")]),
    ("inputs: {}\n", [(1, 1, "B013", "error")]),
    ("assetReferences:\n  inputs: {filenames: [a], directories: [b]}\n  outputs: {directories: [c]}\n"
     "  referencedPaths: [d]\n", []),
])
def test_asset_references_shape(tmp_path, capsys, text, expected):
    bundle = make_bundle(tmp_path / "b", asset_references__yaml=text)
    assert findings(capsys, bundle)[1] == [("asset_references.yaml", *e) for e in expected]


def test_a_directory_whose_template_is_no_job_template_is_no_bundle(tmp_path, capsys):
    directory = tmp_path / "cfn"
    directory.mkdir()
    (directory / "template.yaml").write_text("AWSTemplateFormatVersion: '2010-09-09'\n")
    (directory / "parameter_values.yaml").write_text("parameterValues: 3\n")
    assert findings(capsys, directory)[:2] == (0, [])


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/realworld is not next to the checkout")
def test_public_samples_job_bundles(tmp_path, capsys):
    """The samples' bundles are valid. The snapshot in ../shared holds only their templates; the repository
    also has the files their IN defaults name (scripts/, portfolio.json), so a fresh checkout is clean."""
    bundles = sorted(p.parent for p in SAMPLES.rglob("template.yaml"))
    assert len(bundles) == 4
    found = [f for f in findings(capsys, SAMPLES)[1] if f[3].startswith("B") or f[4] == "error"]
    assert sorted(found) == sorted([
        ("template.yaml", 118, 12, "B011", "warning"),  # conda_recipes/build_linux_package: scripts/
        ("template.yaml", 16, 12, "B011", "warning"),  # monte_carlo_simulation: portfolio.json
        ("template.yaml", 87, 12, "B011", "warning"),  # monte_carlo_simulation: scripts/
        ("template.yaml", 31, 7, "L001", "error"),  # basic_non_contiguous_chunks, invalid in the reference too
    ])
    checkout = tmp_path / "samples"
    shutil.copytree(SAMPLES, checkout)
    for directory in ("conda_recipes/build_linux_package/scripts", "job_bundles/monte_carlo_simulation/scripts"):
        (checkout / directory).mkdir()
    (checkout / "job_bundles/monte_carlo_simulation/portfolio.json").write_text("{}")
    os.remove(checkout / "job_bundles/task_chunking/basic_non_contiguous_chunks/template.yaml")
    for bundle in bundles:
        relative = bundle.relative_to(SAMPLES)
        if (checkout / relative / "template.yaml").exists():
            code, found, _ = findings(capsys, checkout / relative)
            assert (code, [f for f in found if f[3].startswith("B")]) == (0, []), relative


def expand_json(capsys, *args) -> tuple:
    code = main(["expand", "--format", "json", "--task", "0", *map(str, args)])
    captured = capsys.readouterr()
    return code, (json.loads(captured.out) if captured.out else None), captured.err


def test_expand_applies_the_clients_precedence(tmp_path, capsys, monkeypatch):
    env = tmp_path / "queue.yaml"
    env.write_text(QUEUE_ENV.replace('default: ""', "default: maya"))
    values = VALUES + "- {name: Frames, value: 1-3}\n- {name: Frames, value: 2-4}\n"
    bundle = make_bundle(tmp_path / "b", values=values)
    monkeypatch.chdir(tmp_path)
    code, out, _ = expand_json(capsys, "b", "--env", env, "-p", "Format=JPEG", "-p", "OutputDir=renders")
    assert code == 0
    assert out["parameters"] == {
        "RezPackages": "maya",  # queue environment default
        "SceneFile": str(bundle / "scenes" / "shot.blend"),  # bundle-relative default, resolved in the bundle
        "OutputDir": str(tmp_path / "renders"),  # -p PATH: against the current directory
        "Frames": "2-4",  # parameter_values (the later entry), coerced to its type below
        "Quality": 95, "CondaPackages": "blender", "Format": "JPEG"}
    assert out["parameter_origins"] == {
        "RezPackages": "default in queue.yaml", "SceneFile": "default in template.yaml", "OutputDir": "-p",
        "Frames": "parameter_values.yaml", "Quality": "parameter_values.yaml", "CondaPackages": "default in template.yaml",
        "Format": "-p"}
    assert out["job_fields"] == {"priority": 70, "targetTaskRunStatus": "SUSPENDED"}
    assert out["actions"][0]["argv"] == ["blender", "-b", str(bundle / "scenes" / "shot.blend"), "-f", "2"]
    assert any("--priority" in note for note in out["notes"])


def test_expand_reports_the_bundles_errors_and_needs_a_bundle(tmp_path, capsys):
    bundle = make_bundle(tmp_path / "b", values="parameterValues:\n- {name: Quality, value: high}\n")
    code, out, _ = expand_json(capsys, bundle)
    assert code == 1 and out["actions"] == []
    assert [(os.path.basename(f["file"]), f["line"], f["rule"]) for f in out["findings"]] == [
        ("parameter_values.yaml", 2, "B007")]
    (tmp_path / "empty").mkdir()
    assert expand_json(capsys, tmp_path / "empty")[0] == 2
    code, _, err = expand_json(capsys, make_bundle(tmp_path / "good"), "-p", "Qualty=3")
    assert code == 2 and "Qualty" in err


def test_checking_the_current_directory_names_files_as_the_walk_does(tmp_path, capsys, monkeypatch):
    bundle = make_bundle(tmp_path / "b", template=TEMPLATE.replace("scenes/shot.blend", "scenes/gone.blend"))
    os.symlink("/", bundle / "root")
    monkeypatch.chdir(bundle)
    assert main(["check", "--no-cache", "."]) == 1
    out = capsys.readouterr().out
    assert out.startswith("root:1:1: error[B003]")
    assert "template.yaml:4:74: warning[B011]" in out and "4 | - {name: SceneFile" in out  # with its snippet
