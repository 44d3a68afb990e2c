"""openjd-lint: validator and static linter for Open Job Description templates."""

__version__ = "0.1.0"
