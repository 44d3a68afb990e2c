from conftest import run_rule

from openjd_lint.rules import host_requirements as h


def names_flagged(kind: str, names: list) -> list:
    if kind == "amounts":
        entries = "".join(f"    - name: '{n}'\n      min: 1\n" for n in names)
    else:
        entries = "".join(f"    - name: '{n}'\n      anyOf: [x]\n" for n in names)
    return [f.path[-2] for f in run_rule(h.RESERVED_SCOPE, h._job(f"    {kind}:\n" + entries))]


def test_reserved_scopes_allow_only_standard_names_without_vendor():
    assert names_flagged("amounts", [
        "amount.worker.vcpu", "Amount.Worker.GPU.Memory", "amount.worker.custom", "amount.job.x", "amount.worker",
        "acme:amount.worker.vcpu", "acme:amount.studio.x", "amount.worker.os.family", "amount.{{Param.X}}.y",
        "amount.workers.x"]) == [2, 3, 4, 5, 7]
    assert names_flagged("attributes", ["attr.worker.os.family", "attr.step.x", "attr.worker.vcpu", "attr.task"]) == [
        1, 2, 3]


def test_standard_attribute_values_case_insensitive_and_literal_only():
    template = h._job("    attributes:\n    - name: attr.worker.os.family\n      anyOf: [LINUX, ubuntu, '{{Param.Os}}', 0bad]\n"
                      "    - name: attr.worker.cpu.arch\n      allOf: [amd64]\n"
                      "    - name: attr.custom.arch\n      anyOf: [amd64]\n")
    findings = run_rule(h.STANDARD_VALUE, template)
    assert [f.path[-3:] for f in findings] == [(0, "anyOf", 1), (1, "allOf", 0)]
    assert "linux, windows, macos" in findings[0].message


def test_amount_min_exceeds_max_with_numbers_and_numeric_text():
    template = h._job("    amounts:\n    - {name: amount.a, min: 5, max: 2}\n    - {name: amount.b, min: '2.5', max: 2}\n"
                      "    - {name: amount.c, min: 2, max: 2}\n    - {name: amount.d, min: '{{Param.A}}', max: 1}\n")
    assert [f.path[-2] for f in run_rule(h.AMOUNT_MIN_EXCEEDS_MAX, template)] == [0, 1]


def test_single_valued_standard_attributes_and_total_count():
    template = h._job("    attributes:\n    - {name: attr.worker.os.family, allOf: [linux, linux]}\n"
                      "    - {name: attr.studio.x, allOf: [a, b]}\n")
    assert [f.path[-2] for f in run_rule(h.SINGLE_VALUED, template)] == [0]
    assert run_rule(h.TOO_MANY, template) == []
