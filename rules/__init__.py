"""The registry: every rule openjd-lint knows, family by family.

A new rule goes into the module of its family (or a new module listed here); its `Rule` carries the
id, name, default severity, summary, documentation and a bad and a good example.
"""

from openjd_lint.rule_api import Registry
from openjd_lint.rules import loading, validation
from openjd_lint.rules import expressions
from openjd_lint.rules import host_requirements, names, parameters, steps, task_parameters
from openjd_lint.rules import meta
from openjd_lint.rules import wrap, wrap_hazards, wrap_quoting
from openjd_lint.rules import sessions
from openjd_lint.rules import injection
from openjd_lint.rules import bundles

REGISTRY = Registry([
    *loading.RULES,
    *validation.RULES,
    *expressions.RULES,
    *names.RULES,
    *steps.RULES,
    *parameters.RULES,
    *host_requirements.RULES,
    *task_parameters.RULES,
    *meta.RULES,
    *wrap.RULES,
    *wrap_quoting.RULES,
    *wrap_hazards.RULES,
    *sessions.RULES,
    *injection.RULES,
    *bundles.RULES,
])
