"""The function library (functions.md), one table per group: `expression -> string() of the result`
or the start of the error message."""

import pytest

from openjd_lint.expr.evaluate import Environment, PathMappingRule, evaluate
from openjd_lint.expr.parser import parse_expression
from openjd_lint.expr.values import EvalError, to_string, type_of


def run(text, env=None):
    return evaluate(parse_expression(text), {}, env=env)


def check_table(cases, env=None):
    for expression, expected in cases:
        if expected.startswith("ERR "):
            with pytest.raises(EvalError) as caught:
                run(expression, env)
            assert caught.value.message.startswith(expected[4:]), (expression, caught.value.message)
        else:
            value = run(expression, env)
            assert f"{type_of(value)}: {to_string(value)}" == expected, expression


def test_operators():
    check_table([
        ("1 + 2", "int: 3"), ("1 + 2.5", "float: 3.5"), ('"a" + "b"', "string: ab"),
        ('range_expr("1-3") + "x"', "string: 1-3x"), ('"x" + range_expr("1-3")', "string: x1-3"),
        ("[1, 2] + [2.5]", "list[float]: [1.0, 2.0, 2.5]"), ("[] + [1]", "list[int]: [1]"),
        ('range_expr("1-3") + range_expr("5-6")', "list[int]: [1, 2, 3, 5, 6]"),
        ('range_expr("1-2") + [7]', "list[int]: [1, 2, 7]"),
        ('path("/a") + "b"', "path: /ab"), ('[1] + ["a"]', "ERR Cannot use '+' operator"),
        ("9223372036854775807 + 1", "ERR Integer overflow"), ("-9223372036854775807 - 2", "ERR Integer overflow"),
        ('"ab" * 3', "string: ababab"), ('"ab" * -1', "string: "), ("[1] * 2", "list[int]: [1, 1]"),
        ("10 / 4", "float: 2.5"), ("1 / 0", "ERR Division by zero"), ("1.0 / 0", "ERR Division by zero"),
        ('path("/a") / "b"', "path: /a/b"), ('path("/a") / "/c"', "path: /c"),
        ('path("/a") / path("b")', "path: /a/b"), ('path("s3://b/x/") / "y"', "path: s3://b/x/y"),
        ("-7 // 2", "int: -4"), ("7.5 // 2", "int: 3"), ("-7 % 3", "int: 2"), ("-7.5 % 2", "float: 0.5"),
        ("7 % 0", "ERR Division by zero"), ("2 ** 10", "int: 1024"), ("2 ** -1", "float: 0.5"),
        ("-2 ** 2", "int: -4"), ("2 ** 63", "ERR Integer overflow"), ("2 ** 1000000000000", "ERR Integer overflow"),
        ("0 ** -1", "ERR Cannot raise zero to a negative power"), ("(-8) ** 0.5", "ERR Cannot compute"),
        ("1e308 * 10", "ERR Float operation produced infinity"), ("-0.0", "float: 0.0"),
        ("0.0 * -1", "float: 0.0"), ("- (-9223372036854775807 - 1)", "ERR Integer overflow"),
        ("True + 1", "ERR Cannot use '+' operator with bool and int"), ('"a" + 1', "ERR Cannot use '+' operator"),
        ("not True", "bool: false"), ("not 1", "ERR No matching signature for __not__(int)"),
        ("null or 5", "int: 5"), ("0 or 5", "int: 0"), ('"" or "x"', "string: "), ("false or null", "nulltype: null"),
        ("null and 1/0", "nulltype: null"), ("1 and 2", "int: 2"),
        ("1 == 1.0", "bool: true"), ("1 == True", "bool: false"), ('"5" == 5', "bool: false"),
        ('path("/a") == "/a"', "bool: true"), ('range_expr("1-3") == [1, 2, 3]', "bool: true"),
        ('range_expr("1-3") == "1-3"', "bool: false"), ("[1, [2]] == 3", "ERR List literal contains incompatible"),
        ("1 < 2 < 3", "bool: true"), ("3 > 2 > 2", "bool: false"), ('"a" < path("b")', "bool: true"),
        ("[1, 2] < [1, 2, 0]", "bool: true"), ("False < True", "bool: true"), ('1 < "a"', "ERR Cannot use '<' operator"),
        ('"b" in "abc"', "bool: true"), ("2 in [1, 2]", "bool: true"), ("1 in []", "bool: false"),
        ('"a" in [1, 2]', "ERR Cannot use 'in' operator"), ('4 not in range_expr("1-3")', "bool: true"),
        ("[1, 2, 3][-1]", "int: 3"), ('"abc"[1]', "string: b"), ('range_expr("1-10")[2]', "int: 3"),
        ('"abc"[5]', "ERR Index 5 out of bounds"), ('path("/a")[0]', "ERR Cannot subscript type path"),
        ("[1, 2, 3][-5:10]", "list[int]: [1, 2, 3]"), ('"abcdef"[::2]', "string: ace"), ('"abc"[::0]', "ERR Slice step cannot be zero"),
        ('range_expr("1-10")[2:5]', "range_expr: 3-5"), ('range_expr("1-9")[::2]', "range_expr: 1-9:2"),
        ('range_expr("1-3")[::-1]', "list[int]: [3, 2, 1]"), ('path("/a")[1:]', "ERR Cannot subscript type path"),
    ])  # fmt: skip


def test_general_and_conversion():
    check_table([
        ("len([1, 2])", "int: 2"), ('len("naïve")', "int: 5"), ('len(path("/a/b"))', "int: 4"),
        ('len(range_expr("1-1000000000000000000"))', "int: 1000000000000000000"),
        ("bool(null)", "bool: false"), ("bool(0.0)", "bool: false"), ("bool(2)", "bool: true"),
        ('bool("Yes")', "bool: true"), ('bool("off")', "bool: false"), ('bool("maybe")', "ERR Cannot convert"),
        ('bool(path("/a"))', "ERR No matching signature"), ("bool([1])", "ERR No matching signature"),
        ("string(True)", "string: true"), ("string(null)", "string: null"), ("string(1.50)", "string: 1.50"),
        ('string(range_expr("10-15:2,1-5"))', "string: 1-5,10-14:2"), ('string(["a", "b c"])', 'string: ["a", "b c"]'),
        ("string([1.5, 2])", "string: [1.5, 2.0]"), ("string(1e10)", "string: 1e10"), ("string(1e10 + 0)", "string: 10000000000.0"),
        ("string(0.1 + 0.2)", "string: 0.30000000000000004"),
        ("int(3.0)", "int: 3"), ("int(3.75)", "ERR Cannot convert"), ('int("5.0")', "ERR Cannot convert"),
        ('int(" 5 ")', "int: 5"), ('int("x")', "ERR Cannot convert"), ('float("1.5")', "float: 1.5"),
        ('float("inf")', "ERR Cannot convert"), ('float("1e400")', "ERR Float operation produced infinity"),
        ('list(range_expr("1-3"))', "list[int]: [1, 2, 3]"), ('range_expr("1 - 5")', "range_expr: 1-5"),
        ('range_expr("5-1:-2")', "range_expr: 1-5:2"), ('range_expr("1-3,4-6")', "range_expr: 1-6"),
        ('range_expr("")', "ERR Range expression is empty"), ('range_expr("1-5,3")', "ERR Invalid range expression"),
        ('range_expr("1-5:0")', "ERR Invalid range expression"), ('range_expr("1-10:4,10-15")', "ERR Invalid range expression"),
        ("range_expr([1, 2, 3, 5, 7, 9])", "range_expr: 1-3,5-9:2"), ("range_expr([5])", "range_expr: 5"),
        ("range_expr([])", "ERR range_expr() requires a non-empty list"), ('fail("boom")', "ERR boom"),
    ])  # fmt: skip


def test_math():
    check_table([
        ("abs(-2)", "int: 2"), ("abs(-2.5)", "float: 2.5"), ("min(1, 2.5)", "float: 1.0"), ("max(1, 5, 3)", "int: 5"),
        ("min([3, 1, 2])", "int: 1"), ('max(range_expr("1-3"))', "int: 3"), ("min([])", "ERR min() requires a non-empty list"),
        ("sum([])", "int: 0"), ("sum([1, 2])", "int: 3"), ("sum([1, 2.5])", "float: 3.5"), ('sum(range_expr("1-100"))', "int: 5050"),
        ("floor(2.5)", "int: 2"), ("ceil(2.1)", "int: 3"), ("floor(-2.5)", "int: -3"), ("floor(3)", "int: 3"),
        ("round(2.5)", "int: 2"), ("round(3.5)", "int: 4"), ("round(-0.4)", "int: 0"), ("round(3.5, 2)", "float: 3.50"),
        ("round(2.675, 2)", "float: 2.68"), ("round(1234.5, -1)", "int: 1230"), ("round(1234, -2)", "int: 1200"),
    ])  # fmt: skip


def test_lists():
    check_table([
        ("range(3)", "list[int]: [0, 1, 2]"), ("range(1, 7, 2)", "list[int]: [1, 3, 5]"), ("range(1, 5, 0)", "ERR range() step must not be zero"),
        ("flatten([[1], [2, 3]])", "list[int]: [1, 2, 3]"), ("flatten([1, 2])", "list[int]: [1, 2]"), ("flatten([])", "list[nulltype]: []"),
        ('sorted(["b", "a"])', 'list[string]: ["a", "b"]'), ("sorted([[2], [1]])", "list[list[int]]: [[1], [2]]"),
        ("reversed([1, 2])", "list[int]: [2, 1]"), ("unique([1, 2, 1])", "list[int]: [1, 2]"),
        ("any([false, true])", "bool: true"), ("all([])", "bool: true"), ("any([])", "bool: false"), ("any([1])", "ERR No matching signature"),
        ("[x * 2 for x in range(3) if x > 0]", "list[int]: [2, 4]"), ('[x for x in range_expr("1-3")]', "list[int]: [1, 2, 3]"),
        ('[x for x in "abc"]', "ERR Cannot iterate over string"), ("[x for x in [1, 2] if x]", "ERR Comprehension condition must be a boolean"),
        ("[1, null]", "ERR List elements cannot be null"), ("[[[1]]]", "ERR Lists may be nested at most 2 levels deep"),
        ("[[1], [2.5]]", "list[list[float]]: [[1.0], [2.5]]"), ('[path("/a"), "b"]', 'list[string]: ["/a", "b"]'),
        ('[1, "a"]', "ERR List literal contains incompatible types: int and string"),
    ])  # fmt: skip


def test_strings():
    check_table([
        ('"ab".upper()', "string: AB"), ('title("they\'re")', "string: They'Re"), ('"  a ".strip()', "string: a"),
        ('"xxaxx".strip("x")', "string: a"), ('"pre_a".removeprefix("pre_")', "string: a"), ('"a".removesuffix("b")', "string: a"),
        ('startswith(path("/a"), "/a")', "bool: true"), ('path("/a").startswith("/a")', "ERR startswith() is not available for path"),
        ('"123".isdigit()', "bool: true"), ('"".isdigit()', "bool: false"), ('"".isascii()', "bool: true"), ('"Ab".isupper()', "bool: false"),
        ('"banana".count("an")', "int: 2"), ('"abc".find("z")', "int: -1"), ('"abc".index("z")', "ERR index(): substring"),
        ('"abc".find("")', "ERR find() substring must not be empty"), ('"aaa".replace("a", "b")', "string: bbb"),
        ('"a".replace("", "b")', "ERR replace() old value must not be empty"),
        ('"a b  c".split()', 'list[string]: ["a", "b", "c"]'), ('"".split()', "list[string]: []"), ('"".split(",")', 'list[string]: [""]'),
        ('"a,b,".split(",")', 'list[string]: ["a", "b", ""]'), ('"KEY=v=1".split("=", 1)', 'list[string]: ["KEY", "v=1"]'),
        ('"KEY=v=1".rsplit("=", 1)', 'list[string]: ["KEY=v", "1"]'), ('"a".split("")', "ERR split() separator must not be empty"),
        ('["a", "b"].join(",")', "string: a,b"), ('[path("/a"), path("/b")].join(":")', "string: /a:/b"), ('[].join(",")', "string: "),
        ('[1, 2].join(",")', "ERR join() is not available for list[int]"), ('",".join(["a"])', "ERR join() is not available for string"),
        ('"a".ljust(3) + "|"', "string: a  |"), ('"a".center(3)', "string:  a "), ('"7".zfill(3)', "string: 007"),
        ("zfill(-1, 3)", "string: -01"), ("zfill(3.14, 8)", "string: 00003.14"), ('ljust("a", 3.0)', "ERR No matching signature"),
        ("upper(5)", "ERR No matching signature for upper(int)"),
    ])  # fmt: skip


def test_regular_expressions():
    check_table([
        ('re_match("abc", "a(b)")', 'list[string]: ["ab", "b"]'), ('re_match("abc", "b")', "nulltype: null"),
        ('re_match("ab", "(a)(x)?")', 'list[string]: ["a", "a", ""]'), ('re_search("abc", "b")', 'list[string]: ["b"]'),
        ('re_findall("a1b22", "[0-9]+")', 'list[string]: ["1", "22"]'), ('re_findall("a1b22", "[a-z]([0-9]+)")', 'list[string]: ["1", "22"]'),
        ('re_findall("a1b22", "([a-z])([0-9]+)")', 'list[list[string]]: [["a", "1"], ["b", "22"]]'),
        ('re_sub("aaa", "a", "b")', "string: bbb"), ('re_sub("aaa", "a", "\\\\1")', "ERR Group references"),
        ('re_sub("aaa", "a", "$1")', "ERR Group references"), ('re_sub("aaa", "a", "\\\\g<1>")', "ERR Group references"),
        ('re_escape("a.b c-d#&~")', "string: a\\.b c\\-d\\#\\&\\~"), ('re_split("a1b2c", "[0-9]")', 'list[string]: ["a", "b", "c"]'),
        ('re_split("a1b2c", "([0-9])")', 'list[string]: ["a", "b", "c"]'), ('re_split("a1b2c", "[0-9]", 1)', 'list[string]: ["a", "b2c"]'),
        ('re_search("abc", "")', "ERR Empty regex pattern"), ('re_search("abc", "(?=b)")', "ERR Unsupported regex feature: lookahead"),
        ('re_search("abc", "(?<=a)b")', "ERR Unsupported regex feature: lookbehind"), ('re_search("aa", "(a)\\\\1")', "ERR Unsupported regex feature: backreference"),
        ('re_search("a", "a\\\\Z")', "ERR Unsupported regex feature"), ('re_search("a", "(?P<x>a)(?P=x)")', "ERR Unsupported regex feature"),
        ('re_search("a", "\\\\x{41}")', "ERR Unsupported regex feature"), ('re_search("a", "\\\\p{L}")', "ERR Unsupported regex feature"),
        ('re_search("a", "[[:alpha:]]")', "ERR Unsupported regex feature"), ('re_search("a", "(")', "ERR Invalid regex pattern"),
        ('re_search("ab1", "^\\\\w+?\\\\d{1,2}$")', 'list[string]: ["ab1"]'), ('re_search("a", "(?:a|b)")', 'list[string]: ["a"]'),
    ])  # fmt: skip


def test_paths():
    check_table([
        ('path("/a/b.tar.gz").name', "string: b.tar.gz"), ('path("/a/b.tar.gz").stem', "string: b.tar"),
        ('path("/a/b.tar.gz").suffix', "string: .gz"), ('path("/a/b.tar.gz").suffixes', 'list[string]: [".tar", ".gz"]'),
        ('path("/a/b").parent', "path: /a"), ('path("/").parent', "path: /"), ('path("a").parent', "path: ."),
        ('path("/a/b").parts', 'list[string]: ["/", "a", "b"]'), ('path("s3://bucket/a//b").parts', 'list[string]: ["s3://bucket", "a", "", "b"]'),
        ('path("s3://bucket/a").parent', "path: s3://bucket"), ('path("s3://bucket/a").name', "string: a"),
        ('path("/a/./b")', "path: /a/b"), ('path("s3://b/./x/../y")', "path: s3://b/./x/../y"),
        ('path(path("/x/y").parts) == path("/x/y")', "bool: true"), ('path(path("s3://b/x").parts)', "path: s3://b/x"),
        ('path("/a/b.txt").with_name("c.png")', "path: /a/c.png"), ('path("/a/b.txt").with_stem("c")', "path: /a/c.txt"),
        ('path("/a/b.txt").with_suffix(".png")', "path: /a/b.png"), ('path("/a/b.txt").with_suffix("")', "path: /a/b"),
        ('path("/a/b.txt").with_suffix("png")', "ERR Invalid suffix"), ('"/a".with_suffix(".x")', "ERR with_suffix() is not available for string"),
        ('path("/a/b").as_posix()', "string: /a/b"), ('path("/a").is_absolute()', "bool: true"), ('path("a").is_absolute()', "bool: false"),
        ('path("s3://b/a").is_absolute()', "bool: true"), ('path("/a/b").is_relative_to(path("/a"))', "bool: true"),
        ('path("/a/b").relative_to(path("/a"))', "path: b"), ('path("/a/b").relative_to(path("/c"))', "ERR '/a/b' is not relative to '/c'"),
        ('path("s3://b/x/y").relative_to(path("s3://b/x"))', "path: y"),
        ('with_number(path("/a/f_001.exr"), 7)', "path: /a/f_007.exr"), ('with_number("file_003", -1)', "string: file_-01"),
        ('with_number("f.####.exr", -3)', "string: f.-003.exr"), ('with_number("f.%04d.exr", 12)', "string: f.0012.exr"),
        ('with_number("f.%d.exr", 12)', "string: f.12.exr"), ('with_number("f_01.exr", 12345)', "string: f_12345.exr"),
        ('with_number("f", 3)', "string: f_0003"), ('with_number("f.%040d.exr", 1)', "ERR with_number() padding 40 exceeds"),
    ])  # fmt: skip


def test_windows_path_style():
    check_table([
        ('path("C:\\\\a\\\\b.txt").name', "string: b.txt"), ('path("C:\\\\a\\\\b").as_posix()', "string: C:/a/b"),
        ('path("C:\\\\a") / "b"', "path: C:\\a\\b"), ('path("C:\\\\a").is_absolute()', "bool: true"),
    ], env=Environment(path_style="windows"))  # fmt: skip


def test_apply_path_mapping_is_host_only():
    rules = (PathMappingRule("windows", "C:\\proj", "/mnt/proj"),)
    check_table([
        ('apply_path_mapping("C:\\\\proj\\\\s\\\\a.ma")', "path: /mnt/proj/s/a.ma"),
        ('apply_path_mapping("/other/a")', "path: /other/a"),
    ], env=Environment(host=True, path_mapping_rules=rules))  # fmt: skip
    with pytest.raises(EvalError) as caught:
        run('apply_path_mapping("/a")')
    assert caught.value.kind == "scope"
