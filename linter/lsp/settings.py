"""What the server is configured with: the client's initialization options or `openjd-lint`
settings, and `env` from `[tool.openjd-lint]` in the workspace's pyproject.toml.

  env                      environment templates that enclose every job template (paths relative
                           to the workspace root), e.g. a queue's environments; the client's
                           setting wins over pyproject.toml
  ruleDocumentationUrl     the page rule ids link to (each rule is an anchor on it); client only

The rest of `[tool.openjd-lint]` (rule selection, severities, excludes) is the command line's
configuration, which the server applies per file through `openjd_lint.config`.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from openjd_lint.docs import RULE_DOCUMENTATION_URL

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the same parser, a dependency on older Pythons
    import tomli as tomllib

CONFIG_SECTION = "openjd-lint"


@dataclass(frozen=True)
class Settings:
    environments: tuple = ()  # absolute paths
    rule_documentation_url: str = RULE_DOCUMENTATION_URL
    problems: tuple = field(default=(), compare=False)  # messages for the client's log


def load_settings(root: Optional[Path], options: Any) -> Settings:
    """Client options win over pyproject.toml key by key."""
    problems: list = []
    section = _pyproject_section(root, problems)
    merged = {"env": section["env"]} if "env" in section else {}
    client = _client_section(options)
    if client is not None and not isinstance(client, dict):
        problems.append(f"ignored the client settings: expected an object, got {type(client).__name__}")
    elif client:
        merged.update(client)
    base = root or Path.cwd()
    environments = merged.get("env", [])
    if isinstance(environments, str):
        environments = [environments]
    if not isinstance(environments, list) or not all(isinstance(p, str) for p in environments):
        problems.append("ignored `env`: expected a list of paths")
        environments = []
    url = merged.get("ruleDocumentationUrl", RULE_DOCUMENTATION_URL)
    if not isinstance(url, str) or not url:
        problems.append("ignored `ruleDocumentationUrl`: expected a URL")
        url = RULE_DOCUMENTATION_URL
    return Settings(tuple(str((base / p).resolve()) for p in environments), url.rstrip("#"), tuple(problems))


def _client_section(options: Any) -> Any:
    """Settings come either as the section itself or wrapped as {"openjd-lint": {...}}."""
    if isinstance(options, dict) and isinstance(options.get(CONFIG_SECTION), dict):
        return options[CONFIG_SECTION]
    return options


def _pyproject_section(root: Optional[Path], problems: list) -> dict:
    if root is None:
        return {}
    pyproject = root / "pyproject.toml"
    try:
        with pyproject.open("rb") as handle:
            document = tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        problems.append(f"could not read {pyproject}: {error}")
        return {}
    section = document.get("tool", {}).get(CONFIG_SECTION, {})
    return section if isinstance(section, dict) else {}
