"""The import budget of `openjd-lint check` on a simple template: which modules a run imports, not how
long it takes (timings belong in benchmarks/bench.py). A run imports what it uses; the expression
grammar, worker processes, the cache's hashing, other commands and other output formats are paid for
only by the runs that need them."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

# A job like most real ones: plain references, a plain call, an embedded script, a task range.
SIMPLE_JOB = textwrap.dedent("""\
    specificationVersion: jobtemplate-2023-09
    extensions: [EXPR]
    name: Render
    parameterDefinitions:
    - name: Scene
      type: PATH
      objectType: FILE
      dataFlow: IN
    - name: Frames
      type: STRING
      default: "1-10"
    steps:
    - name: Frame
      parameterSpace:
        taskParameterDefinitions:
        - name: Frame
          type: INT
          range: "{{Param.Frames}}"
      script:
        embeddedFiles:
        - name: Run
          type: TEXT
          data: |
            render --frame {{Task.Param.Frame}} {{ repr_sh(Param.Scene) }}
        actions:
          onRun:
            command: bash
            args: ["{{Task.File.Run}}", "{{ repr_sh(Param.Scene) }}"]
    """)

# Never imported by such a run, with or without the cache.
NEVER = (
    "lark",  # the expression grammar: plain references and plain calls are parsed without it
    "multiprocessing", "concurrent.futures", "pickle",  # one file is linted in this process
    "re2",  # only evaluating a regex function needs the engine
    "tempfile",  # only writing fixes
    "zipfile",  # importlib.resources' readers: the schemas are read through pkgutil
    "logging", "pygls", "lsprotocol",  # the language server
    "pygments",
    "openjd_lint.lsp.server", "openjd_lint.session.expand", "openjd_lint.docs",
    "openjd_lint.reporters.json", "openjd_lint.reporters.sarif", "openjd_lint.reporters.github",
    "openjd_lint.reporters.statistics",
    "jsonschema", "openjd",  # the reference and jsonschema are test-only oracles
)
# Imported only when the run uses the cache.
CACHE_ONLY = ("hashlib",)

_PROBE = """\
import sys
from openjd_lint.cli import main
code = main(sys.argv[1:])
print(code, " ".join(sorted(sys.modules)))
"""


def imported_by_check(tmp_path, *options: str) -> tuple:
    template = tmp_path / "job.yaml"
    template.write_text(SIMPLE_JOB)
    out = subprocess.run([sys.executable, "-c", _PROBE, "check", "--quiet", *options, str(template)],
                         capture_output=True, text=True, cwd=tmp_path, check=True).stdout
    code, modules = out.strip().splitlines()[-1].split(" ", 1)
    return int(code), set(modules.split())


def _loaded(modules: set, name: str) -> bool:
    return name in modules or any(module.startswith(name + ".") for module in modules)


@pytest.mark.parametrize("options", [(), ("--no-cache",)])
def test_a_check_of_a_simple_template_imports_only_what_it_needs(tmp_path, options):
    code, modules = imported_by_check(tmp_path, *options)
    assert code == 0, "the template is meant to be clean, as most are"
    assert "openjd_lint.rules" in modules and "openjd_lint.reporters.text" in modules  # the probe ran a check
    unneeded = [name for name in NEVER + (CACHE_ONLY if options else ()) if _loaded(modules, name)]
    assert unneeded == []
