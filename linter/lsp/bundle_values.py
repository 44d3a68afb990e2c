"""A job bundle's `parameter_values` file in the editor: completion of parameter names after `name:`, and
hover on an entry's name or value with the definition it is checked against."""

from __future__ import annotations

import json
import re
from typing import Optional

from lsprotocol import types as lsp

from openjd_lint.bundle.model import DEADLINE_PARAMETERS, entries
from openjd_lint.load.tree import ScalarNode, node_at
from openjd_lint.lsp.conversions import offsets_range

# `name:` then the part of a name typed so far (quoted or not), at the end of the text before the cursor
_TYPING_NAME = re.compile(r"""\bname:[ \t]*(?P<quote>["']?)(?P<typed>[A-Za-z0-9_:]*)$""")
_DEADLINE_FIELDS = {
    "deadline:priority": "the job's priority, 0 to 100 (`deadline bundle submit` passes --priority, default 50, "
                         "which replaces it)",
    "deadline:targetTaskRunStatus": "READY, or SUSPENDED to create the job with its tasks suspended",
    "deadline:maxFailedTasksCount": "how many tasks may fail before the job fails (at least 0)",
    "deadline:maxRetriesPerTask": "how many times a failed task is retried (at least 0)",
}


def completion(analysis, offset: int, encoding: str) -> Optional[lsp.CompletionList]:
    source = analysis.source
    line_start = source.text.rfind("\n", 0, offset) + 1
    match = _TYPING_NAME.search(source.text[line_start:offset])
    if match is None:
        return None
    replace = offsets_range(source, offset - len(match.group("typed")), offset, encoding)
    items = [lsp.CompletionItem(label=name, kind=lsp.CompletionItemKind.Variable, detail=merged.type,
                                documentation=_documentation(merged), text_edit=lsp.TextEdit(replace, name),
                                filter_text=name)
             for name, merged in analysis.bundle.definitions().items()]
    items += [lsp.CompletionItem(label=name, kind=lsp.CompletionItemKind.Field, detail=DEADLINE_PARAMETERS[name][0],
                                 documentation=text, text_edit=lsp.TextEdit(replace, _quoted(name, match)),
                                 filter_text=name)
              for name, text in _DEADLINE_FIELDS.items()]
    return lsp.CompletionList(is_incomplete=False, items=items)


def _quoted(name: str, match) -> str:
    """A `deadline:` name in a flow mapping (`{name: deadline:…}`) must be quoted for libyaml-based readers."""
    in_flow = "{" in match.string[:match.start()]
    return f"'{name}'" if in_flow and not match.group("quote") else name


def hover(analysis, offset: int, encoding: str) -> Optional[lsp.Hover]:
    root = analysis.values_root
    for entry in entries(root):
        nodes = [node for node in (entry.name_node, entry.value_node) if node is not None]
        if entry.name is None or not any(n.start_index <= offset <= n.end_index for n in nodes):
            continue
        text = _hover_text(analysis.bundle, entry.name)
        if text is None:
            return None
        node = next(n for n in nodes if n.start_index <= offset <= n.end_index)
        end = node.end_index if isinstance(node, ScalarNode) else node.start_index
        return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown, text),
                         offsets_range(analysis.source, node.start_index, max(end, node.start_index), encoding))
    return None


def _hover_text(bundle, name: str) -> Optional[str]:
    if name in _DEADLINE_FIELDS:
        return f"`{name}`: {DEADLINE_PARAMETERS[name][0]}\n\nA field of the job: {_DEADLINE_FIELDS[name]}."
    merged = bundle.definitions().get(name)
    if merged is None:
        return None
    definition = merged.sources[-1]
    node = node_at(definition.context.root, definition.path)[0]
    line = definition.context.source.position(node.start_index).line
    return "\n\n".join([f"`{name}`: {_documentation(merged)}",
                        f"Defined in {definition.context.source.name} on line {line}."])


def _documentation(merged) -> str:
    definition = merged.definition
    parts = [merged.type]
    parts += [f"{key} {json.dumps(definition[key], ensure_ascii=False)}"
              for key in ("minValue", "maxValue", "minLength", "maxLength", "allowedValues", "default",
                          "objectType", "dataFlow") if key in definition]
    text = ", ".join(parts)
    description = definition.get("description")
    return f"{text}\n\n{description}" if isinstance(description, str) and description else text
