"""Path values and functions (functions.md §7): POSIX or Windows semantics by the evaluation's
path style, URIs (`scheme://authority/...`) with an opaque root, `/` separators and no
normalisation."""

from __future__ import annotations

import re
from pathlib import PurePath, PurePosixPath, PureWindowsPath

from openjd_lint.expr import types as T
from openjd_lint.expr.library.registry import define
from openjd_lint.expr.values import EvalError, ListValue, PathValue
from openjd_lint.load.numerals import abbreviated, to_int

_URI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_FRAME_PATTERN = re.compile(r"%0([0-9]+)d|%d|#+|[0-9]+")
STRING_LIST = T.ListOf(T.STRING)
MAX_PADDING = 32


def is_uri(text: str) -> bool:
    return bool(_URI.match(text))


def _flavour(style: str) -> type:
    return PureWindowsPath if style == "windows" else PurePosixPath


def make_path(text: str, style: str = "posix") -> PathValue:
    """A path value built from text, normalised for `style` (URIs are kept as written)."""
    if is_uri(text):
        return PathValue(text)
    return PathValue(str(_flavour(style)(text)))


def _pure(value: PathValue, style: str) -> PurePath:
    return _flavour(style)(value.text)


def _uri_split(text: str) -> tuple:
    """`(root, segments)`: root is scheme://authority, segments keep empty entries."""
    scheme_end = _URI.match(text).end()
    slash = text.find("/", scheme_end)
    if slash < 0:
        return text, []
    return text[:slash], text[slash + 1 :].split("/")


def _uri_join(root: str, segments: list) -> PathValue:
    return PathValue("/".join([root, *segments]) if segments else root)


def _name(value: PathValue, style: str) -> str:
    if is_uri(value.text):
        _, segments = _uri_split(value.text)
        return segments[-1] if segments else ""
    return _pure(value, style).name


def _with_name(value: PathValue, name: str, style: str) -> PathValue:
    if is_uri(value.text):
        root, segments = _uri_split(value.text)
        if not segments or "/" in name or not name:
            raise EvalError(f"Invalid name {name!r} for {value.text!r}")
        return _uri_join(root, segments[:-1] + [name])
    try:
        return PathValue(str(_pure(value, style).with_name(name)))
    except ValueError as error:
        raise EvalError(f"Invalid name {name!r} for {value.text!r}: {error}") from None


@define("__property_name__(path) -> string")
def _property_name(call, value):
    return _name(value, call.env.path_style)


@define("__property_stem__(path) -> string")
def _property_stem(call, value):
    name = _name(value, call.env.path_style)
    return PurePosixPath(name).stem if name else ""


@define("__property_suffix__(path) -> string")
def _property_suffix(call, value):
    name = _name(value, call.env.path_style)
    return PurePosixPath(name).suffix if name else ""


@define("__property_suffixes__(path) -> list[string]")
def _property_suffixes(call, value):
    name = _name(value, call.env.path_style)
    return ListValue(tuple(PurePosixPath(name).suffixes if name else ()), STRING_LIST)


@define("__property_parent__(path) -> path")
def _property_parent(call, value):
    if is_uri(value.text):
        root, segments = _uri_split(value.text)
        return _uri_join(root, segments[:-1])
    return PathValue(str(_pure(value, call.env.path_style).parent))


@define("__property_parts__(path) -> list[string]")
def _property_parts(call, value):
    if is_uri(value.text):
        root, segments = _uri_split(value.text)
        parts = (root, *segments)
    else:
        parts = _pure(value, call.env.path_style).parts
    call.budget.charge(len(parts))
    return ListValue(tuple(parts), STRING_LIST)


@define("path(string) -> path")
def _path(call, text):
    return make_path(text, call.env.path_style)


@define("path(list[string]) -> path")
def _path_from_parts(call, parts):
    items = list(parts.items)
    call.budget.charge(len(items))
    if items and is_uri(items[0]):
        return _uri_join(items[0], items[1:])
    return PathValue(str(_flavour(call.env.path_style)(*items)))


@define("with_name(path, string) -> path")
def _with_name_function(call, value, name):
    return _with_name(value, name, call.env.path_style)


@define("with_stem(path, string) -> path")
def _with_stem(call, value, stem):
    suffix = PurePosixPath(_name(value, call.env.path_style) or "x").suffix
    return _with_name(value, stem + suffix, call.env.path_style)


def _check_suffix(suffix: str) -> None:
    if suffix and (not suffix.startswith(".") or suffix == "." or "/" in suffix):
        raise EvalError(f"Invalid suffix {suffix!r}: it must start with '.' or be empty")


def _validate_suffix(args: list) -> None:
    if isinstance(args[1], str):
        _check_suffix(args[1])


@define("with_suffix(path, string) -> path", validate=_validate_suffix)
def _with_suffix(call, value, suffix):
    _check_suffix(suffix)
    name = _name(value, call.env.path_style)
    if not name:
        raise EvalError(f"{value.text!r} has an empty name")
    return _with_name(value, PurePosixPath(name).stem + suffix, call.env.path_style)


@define("as_posix(path) -> string")
def _as_posix(call, value):
    return value.text if is_uri(value.text) else _pure(value, call.env.path_style).as_posix()


@define("is_absolute(path) -> bool")
def _is_absolute(call, value):
    return is_uri(value.text) or _pure(value, call.env.path_style).is_absolute()


def _relative(value: PathValue, base: PathValue, style: str):
    """The relative remainder of `value` under `base`, or None."""
    if is_uri(value.text) or is_uri(base.text):
        prefix = base.text.rstrip("/")
        if value.text == prefix:
            return "."
        return value.text[len(prefix) + 1 :] if value.text.startswith(prefix + "/") else None
    try:
        return str(_pure(value, style).relative_to(_pure(base, style)))
    except ValueError:
        return None


@define("is_relative_to(path, path) -> bool")
def _is_relative_to(call, value, base):
    return _relative(value, base, call.env.path_style) is not None


@define("relative_to(path, path) -> path")
def _relative_to(call, value, base):
    remainder = _relative(value, base, call.env.path_style)
    if remainder is None:
        raise EvalError(f"{value.text!r} is not relative to {base.text!r}")
    return PathValue(remainder)


@define("__truediv__(path, string) -> path", "__truediv__(path, path) -> path")
def _join(call, value, other):
    other_text = other.text if isinstance(other, PathValue) else other
    call.budget.charge_text(len(value.text) + len(other_text))
    if is_uri(other_text):
        return PathValue(other_text)
    if is_uri(value.text):
        base = value.text[:-1] if value.text.endswith("/") else value.text
        return PathValue(f"{base}/{other_text}")
    return PathValue(str(_pure(value, call.env.path_style) / other_text))


@define("__add__(path, string) -> path")
def _append(call, value, text):
    call.budget.charge_text(len(value.text) + len(text))
    if is_uri(value.text):
        return PathValue(value.text + text)
    return make_path(value.text + text, call.env.path_style)


@define("len(path) -> int")
def _len_path(call, value):
    return len(value.text)


def _renumber(stem: str, number: int) -> str:
    matches = list(_FRAME_PATTERN.finditer(stem))
    if not matches:
        return f"{stem}_{number:04d}"
    m = matches[-1]
    token = m.group(0)
    if token == "%d":
        width = 0
    elif m.group(1) is not None:
        width = to_int(m.group(1))
    else:
        width = len(token)
    if width > MAX_PADDING:
        raise EvalError(f"with_number() padding {abbreviated(m.group(1) or str(width))} exceeds the maximum of {MAX_PADDING}")
    return stem[: m.start()] + format(number, f"0{width}d" if width else "d") + stem[m.end() :]


def _renumber_name(name: str, number: int) -> str:
    stem = PurePosixPath(name).stem if name not in ("", ".", "..") else name
    suffix = name[len(stem) :]
    return _renumber(stem, number) + suffix


def _validate_padding(args: list) -> None:
    if isinstance(args[0], (str, PathValue)):
        _renumber_name(args[0] if isinstance(args[0], str) else args[0].text.rsplit("/", 1)[-1], 0)


@define("with_number(path, int) -> path", validate=_validate_padding)
def _with_number_path(call, value, number):
    name = _name(value, call.env.path_style)
    return _with_name(value, _renumber_name(name, number), call.env.path_style)


@define("with_number(string, int) -> string", validate=_validate_padding)
def _with_number_string(call, text, number):
    cut = max(text.rfind("/"), text.rfind("\\")) + 1
    return text[:cut] + _renumber_name(text[cut:], number)


def map_path(text: str, rules: tuple, style: str) -> PathValue:
    """The first rule whose source path contains `text` rewrites its prefix."""
    for rule in rules:
        source = _flavour(rule.source_style)
        try:
            remainder = source(text).relative_to(source(rule.source_path))
        except ValueError:
            continue
        destination = _flavour(style)(rule.destination_path)
        return PathValue(str(destination.joinpath(*remainder.parts)))
    return make_path(text, style)


@define("apply_path_mapping(string) -> path", host_only=True)
def _apply_path_mapping(call, text):
    return map_path(text, call.env.path_mapping_rules, call.env.path_style)
