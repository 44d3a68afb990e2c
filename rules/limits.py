"""Rules about what the linter refuses to read at all."""

from openjd_lint.findings import Severity
from openjd_lint.rule import Rule

FILE_TOO_LARGE = Rule(
    "L011", "file-too-large", Severity.ERROR,
    "The file is larger than `--max-file-size`.",
    "Templates are a few kilobytes; a file above the limit (10 MB unless `--max-file-size` says otherwise) is "
    "reported without being read, so a stray data file cannot stall a run or exhaust its memory.",
    bad="# any file larger than --max-file-size\n",
    good="specificationVersion: jobtemplate-2023-09\n",
)

RULES = [FILE_TOO_LARGE]
