"""Static checking by unresolved evaluation (format-strings.md §D.5, §F)."""

import pytest

from openjd_lint.expr.check import check_expression
from openjd_lint.expr.parser import parse_expression
from openjd_lint.expr.types import parse_type

SYMBOLS = {
    name: parse_type(text)
    for name, text in {
        "Param.Frame": "int", "Param.Count": "int", "Param.Ratio": "float", "Param.Name": "string",
        "Param.Scene": "path", "Param.Files": "list[path]", "Param.UseGpu": "bool", "Task.Param.Chunk": "range_expr",
        "Task.File.Run": "path", "WrappedAction.Timeout": "int?", "WrappedAction.Args": "list[string]",
        "WrappedAction.Command": "string", "Job.Name": "string", "scene_dir": "path",
    }.items()
}  # fmt: skip


def check(text, host_scope=False, target=None):
    return check_expression(parse_expression(text), SYMBOLS, host_scope=host_scope, target=target)


@pytest.mark.parametrize(
    "text, result_type",
    [
        ("Param.Frame + 1", "unresolved[int]"),
        ("Param.Frame + Param.Ratio", "unresolved[float]"),
        ("Param.Scene.stem.upper()", "unresolved[string]"),
        ("(Param.Scene / Param.Name).with_suffix('.png')", "unresolved[path]"),
        ("Param.Scene.parent.parent.name", "unresolved[string]"),
        ("Task.File.Run", "unresolved[path]"),
        ("scene_dir / 'a'", "unresolved[path]"),
        ("[f.name for f in Param.Files]", "unresolved[list[string]]"),
        ("[x * 2 for x in Task.Param.Chunk]", "unresolved[list[int]]"),
        ("WrappedAction.Timeout or 3600", "unresolved[int]"),
        ("WrappedAction.Timeout", "unresolved[int?]"),
        ("Param.UseGpu and Param.Frame", "unresolved[bool | int]"),
        ("1 if Param.UseGpu else null", "unresolved[int?]"),
        ("Param.Frame if Param.UseGpu else fail('no')", "unresolved[int]"),
        ("1 if Param.UseGpu else 'a'", "unresolved[int | string]"),
        ("[1, WrappedAction.Timeout]", "unresolved[list[int]]"),
        ("re_findall(Param.Name, 'a')", "unresolved[list[string] | list[list[string]]]"),
        ("Job.Name.upper()", "unresolved[string]"),
        ("repr_sh([WrappedAction.Command] + WrappedAction.Args)", "unresolved[string]"),
        ("1 + 2", "int"),
        ("'a'.upper()", "string"),
    ],
)
def test_result_types(text, result_type):
    result = check(text)
    assert result.errors == ()
    assert str(result.type) == result_type


@pytest.mark.parametrize(
    "text, kind, message, span",
    [
        ("Param.Fram + 1", "unknown-name", "Unknown name 'Param.Fram'; did you mean 'Param.Frame'?", (0, 10)),
        ("1 + Nope", "unknown-name", "Unknown name 'Nope'", (4, 8)),
        ("uper(Param.Name)", "unknown-name", "Unknown function 'uper'; did you mean 'upper'?", (0, 4)),
        ("Param.Count.upper()", "type", "upper() is not available for int. Available for: string", (0, 19)),
        ("Param.Name.stem", "type", "'stem' property is not available for string", (11, 15)),
        ("Param.Scene.nope", "type", "'nope' property is not available for path", (12, 16)),
        ("Param.Scene[0]", "type", "Cannot subscript type path", (0, 14)),
        ("Param.Scene.startswith('/a')", "type", "startswith() is not available for path", None),
        ("'x' + Param.Frame", "type", "Cannot use '+' operator with string and int", None),
        ("Param.UseGpu + 1", "type", "Cannot use '+' operator with bool and int", None),
        ("1 if Param.Frame else 2", "type", "Condition must be a boolean, got int", (5, 16)),
        ("not Param.Frame", "type", "No matching signature for __not__(int)", None),
        ("[x for x in Param.Files if x.name]", "type", "Comprehension condition must be a boolean, got string", None),
        ("[x for x in Param.Name]", "type", "Cannot iterate over string", None),
        ("[1, Param.Name]", "type", "List literal contains incompatible types: int and string", None),
        ("1 in WrappedAction.Args", "type", "Cannot use 'in' operator with int and list[string]", None),
        ("len(WrappedAction.Timeout)", "type", "No matching signature for len(int?)", None),
        ("Param.Name.upper(1)", "type", "No matching signature for upper(string, int)", None),
        ("','.join(WrappedAction.Args)", "type", "join() is not available for string", None),
        ("[scene_dir for scene_dir in [1]]", "type", "Variable 'scene_dir' bound by a comprehension shadows a variable",
         (15, 24)),
        ("[[x for x in [1]] for x in [2]]", "type", "Variable 'x' bound by a comprehension shadows a variable", None),
        ("1 / 0", "constant", "Division by zero", (0, 5)),
        ("Param.Frame + 2 ** 64", "constant", "Integer overflow", None),
        ("fail('stop')", "constant", "stop", None),
        ("[1, null]", "type", "List elements cannot be null", None),
        ("min([])", "constant", "min() requires a non-empty list", None),
        ("re_search(Param.Name, '(?=x)')", "constant", "Unsupported regex feature: lookahead", None),
        ("Param.Name.split('')", "constant", "split() separator must not be empty", None),
        ("range_expr('1-')", "constant", "Invalid range expression", None),
        ("int('x') + Param.Frame", "constant", "Cannot convert 'x' to int", None),
        ("bool('maybe')", "constant", "Cannot convert", None),
        ("Param.Scene.with_suffix('png')", "constant", "Invalid suffix", None),
        ("[1, 2][5] + Param.Frame", "constant", "Index 5 out of bounds for list of length 2", None),
        ("range(10 ** 12)", "constant", "Expression operation count", None),
        ("apply_path_mapping(Param.Name)", "scope", "apply_path_mapping() is only available", (0, 18)),
    ],
)
def test_errors(text, kind, message, span):
    errors = check(text).errors
    assert len(errors) == 1, errors
    error = errors[0]
    assert error.kind == kind
    assert error.message.startswith(message)
    if span is not None:
        assert (error.start, error.end) == span


def test_host_only_functions_are_allowed_in_host_scope():
    assert check("apply_path_mapping(Param.Name)", host_scope=True).errors == ()


def test_one_failing_branch_of_an_unresolved_condition_is_suppressed():
    assert check("Param.Frame if Param.UseGpu else 1 / 0").errors == ()
    both = check("1 / 0 if Param.UseGpu else 2 // 0").errors
    assert [e.message for e in both] == ["Division by zero", "Division by zero"]
    assert check("Nope if Param.UseGpu else 1").errors[0].kind == "unknown-name"


def test_constant_conditions_only_check_the_taken_branch():
    assert check("1 if True else 1 / 0").errors == ()


def test_errors_do_not_cascade():
    errors = check("(Param.Frame + 'a').upper().stem + 1").errors
    assert len(errors) == 1


def test_null_hazards_mark_operations_failing_on_null():
    result = check("WrappedAction.Timeout * 2")
    assert result.errors == ()
    assert str(result.type) == "unresolved[int]"
    assert [(h.start, h.end) for h in result.null_hazards] == [(0, 25)]
    assert check("(WrappedAction.Timeout or 60) * 2").null_hazards == ()
    assert check("WrappedAction.Timeout").nullable
    assert not check("WrappedAction.Timeout or 1").nullable


@pytest.mark.parametrize(
    "text, target, error",
    [
        ("'abc'", "int?", "Cannot convert 'abc' to int"),
        ("null", "string", "Cannot convert nulltype to string"),
        ("WrappedAction.Args", "int?", "A value of type list[string] cannot be used as int?"),
        ("Param.UseGpu", "int", "A value of type bool cannot be used as int"),
        ("'5'", "int?", None),
        ("WrappedAction.Timeout", "int?", None),
        ("Param.Name", "int", None),
        ("Param.Frame", "string", None),
        ("Param.Files", "string? | list[string]", None),
    ],
)
def test_whole_field_target(text, target, error):
    errors = check(text, target=parse_type(target)).errors
    assert [e.message for e in errors] == ([error] if error else [])


def test_a_comprehension_body_that_fails_for_every_item_is_one_error():
    result = check("[Task.Param.Frame for v in range(1000)]")
    assert [(e.kind, e.start, e.end) for e in result.errors] == [("unknown-name", 1, 17)]
