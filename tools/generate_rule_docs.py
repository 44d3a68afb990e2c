"""Write docs/rules.md from the rule registry (`--check`: exit 1 if the file is out of date)."""

import sys
from pathlib import Path

from openjd_lint.docs import rules_markdown

TARGET = Path(__file__).resolve().parents[1] / "docs" / "rules.md"


def main(argv: list) -> int:
    text = rules_markdown()
    if "--check" in argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is out of date: run `python tools/generate_rule_docs.py`", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
