from conftest import run_rule

from openjd_lint.rules import steps


def job(*specs):
    """specs: (name, [dependsOn, ...])"""
    return steps._job(*(steps._step(name, deps) for name, deps in specs))


def test_unknown_dependency_suggests_the_closest_step():
    findings = run_rule(steps.UNKNOWN_DEPENDENCY, job(("Render", []), ("Comp", ["render", "Nothing", "Render"])))
    assert [f.path for f in findings] == [("steps", 1, "dependencies", 0, "dependsOn"),
                                          ("steps", 1, "dependencies", 1, "dependsOn")]
    assert findings[0].hint == "did you mean 'Render'?"


def test_self_dependency():
    findings = run_rule(steps.SELF_DEPENDENCY, job(("A", ["A"]), ("B", ["A"])))
    assert [f.path for f in findings] == [("steps", 0, "dependencies", 0, "dependsOn")]
    assert run_rule(steps.DEPENDENCY_CYCLE, job(("A", ["A"]))) == []


def test_each_cycle_reported_once_at_the_closing_dependency():
    template = job(("Valid1", []), ("CycleA", ["Valid1", "CycleB"]), ("CycleB", ["CycleA"]), ("Valid2", []))
    findings = run_rule(steps.DEPENDENCY_CYCLE, template)
    assert len(findings) == 1
    assert findings[0].path == ("steps", 2, "dependencies", 0, "dependsOn")
    assert "CycleA -> CycleB -> CycleA" in findings[0].message
    assert [r.path for r in findings[0].related] == [("steps", 1, "name"), ("steps", 2, "name")]


def test_two_independent_cycles_and_a_diamond():
    template = job(("A", ["B"]), ("B", ["C"]), ("C", ["A"]), ("D", ["E"]), ("E", ["D"]),
                   ("Top", []), ("L", ["Top"]), ("R", ["Top"]), ("Bottom", ["L", "R"]))
    messages = [f.message for f in run_rule(steps.DEPENDENCY_CYCLE, template)]
    assert len(messages) == 2
    assert "A -> B -> C -> A" in messages[0] and "D -> E -> D" in messages[1]


def test_long_chain_does_not_exhaust_the_stack():
    chain = [(f"S{i}", [f"S{i + 1}"]) for i in range(3000)] + [("S3000", ["S0"])]
    findings = run_rule(steps.DEPENDENCY_CYCLE, job(*chain))
    assert len(findings) == 1 and findings[0].message.count("->") == 3001
