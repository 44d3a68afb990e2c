"""A job bundle loaded: its template as a job Context (enclosed by the queue environments given), its
values and asset files as positioned trees, and the parameter definitions the values are checked against."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Optional

from openjd_lint.bundle import layout as L
from openjd_lint.context import JOB, SPECIFICATION_VERSIONS, Context, declared_extensions
from openjd_lint.load.tree import MapNode, Node, ScalarNode, SeqNode, to_plain
from openjd_lint.load.yaml_loader import Loaded, load_bytes
from openjd_lint.session import parameters as P

DEFAULT_MAX_SIZE = 10 * 1024 * 1024
# The CreateJob fields a `deadline:` name may set, as the client accepts them (DEFAULT_SUPPORTED_APP_PARAMETER_NAMES),
# with the type and range the service and the submitter GUI give them.
DEADLINE_PARAMETERS = {
    "deadline:priority": ("INT", {"minValue": 0, "maxValue": 100}),
    "deadline:targetTaskRunStatus": ("STRING", {"allowedValues": ["READY", "SUSPENDED"]}),
    "deadline:maxFailedTasksCount": ("INT", {"minValue": 0, "maxValue": 2147483647}),
    "deadline:maxRetriesPerTask": ("INT", {"minValue": 0, "maxValue": 2147483647}),
}


@dataclass
class Document:
    path: str
    loaded: Loaded

    @property
    def root(self) -> Optional[Node]:
        return self.loaded.root


@dataclass(frozen=True)
class Entry:
    """One item of `parameterValues`; `name` is None unless it is a string."""

    index: int
    node: Node
    name: Optional[str] = None
    name_node: Optional[ScalarNode] = None
    value_node: Optional[Node] = None

    @property
    def path(self) -> tuple:
        return ("parameterValues", self.index)

    @property
    def value(self) -> Any:
        return to_plain(self.value_node) if self.value_node is not None else None


@dataclass
class Bundle:
    layout: L.Layout
    job: Optional[Context]  # None when the template does not load as a job template
    documents: dict = field(default_factory=dict)  # stem -> Document, for the files that could be read
    given: dict = field(default_factory=dict)  # `-p NAME=VALUE` values (strings)
    queue_parameters: frozenset = frozenset()  # names the configuration declares for queue environments
    queue_known: bool = False  # the queue's environments were given (`--env`): unknown names are errors

    @property
    def directory(self) -> str:
        return self.layout.directory

    def document(self, stem: str) -> Optional[Document]:
        return self.documents.get(stem)

    @property
    def values_name(self) -> str:
        values = self.documents.get(L.VALUES)
        return values.path if values is not None else "parameter_values"

    def definitions(self) -> dict:
        """name -> Merged definition of the queue environments' and the job's parameters."""
        if self.job is None:
            return {}
        cached = self.job.cache.get("bundle-definitions")
        if cached is None:
            cached = self.job.cache["bundle-definitions"] = P.merge([*self.job.enclosing, self.job])[0]
        return cached

    def job_definitions(self) -> list:
        """The job template's own parameter definitions (P.Definition), in order."""
        return P.definitions(self.job) if self.job is not None else []

    def entries(self) -> list:
        values = self.documents.get(L.VALUES)
        return entries(values.root) if values is not None else []


def entries(root: Optional[Node]) -> list:
    """The items of `parameterValues` (an empty list when the document does not have that shape)."""
    items = root.get("parameterValues") if isinstance(root, MapNode) else None
    found = []
    for index, node in enumerate(items.items if isinstance(items, SeqNode) else []):
        if not isinstance(node, MapNode):
            found.append(Entry(index, node))
            continue
        name = node.get("name")
        named = isinstance(name, ScalarNode) and isinstance(name.value, str)
        found.append(Entry(index, node, name.value if named else None, name if named else None, node.get("value")))
    return found


def load(layout: L.Layout, enclosing: tuple = (), given: Optional[dict] = None,
         queue_parameters: frozenset = frozenset(), max_size: int = DEFAULT_MAX_SIZE,
         texts: Optional[dict] = None) -> Bundle:
    """Load the bundle's files. `texts` maps paths to bytes to use instead of the file on disk (an editor's
    unsaved buffer)."""
    bundle = Bundle(layout, None, given=dict(given or {}), queue_parameters=frozenset(queue_parameters),
                    queue_known=bool(enclosing))
    for stem, path in _files_to_read(layout):
        document = _read(path, texts, max_size)
        if document is not None:
            bundle.documents[stem] = document
    template = bundle.documents.get(L.TEMPLATE)
    if template is not None and not _is_job(template):
        # of a .json/.yaml pair (an error of its own), the one that is a job template
        others = [_read(path, texts, max_size) for stem, *pair in layout.duplicates if stem == L.TEMPLATE
                  for path in pair if path != template.path]
        template = next((d for d in others if d is not None and _is_job(d)), None)
    if template is not None and _is_job(template):
        bundle.documents[L.TEMPLATE] = template
        root = template.root
        bundle.job = Context(template.loaded.source, root, JOB, declared_extensions(root), to_plain(root),
                             enclosing=tuple(enclosing))
    return bundle


def _read(path: str, texts: Optional[dict], max_size: int) -> Optional[Document]:
    data = (texts or {}).get(path)
    if data is None:
        data = L.read_regular(path, max_size)
    if not data:
        return None  # unreadable (the per-file pass reports a template), or empty, which the client takes as absent
    return Document(path, load_bytes(data, path, is_json=path.endswith(".json")))


def _is_job(document: Document) -> bool:
    root = document.root
    version = root.get("specificationVersion") if isinstance(root, MapNode) else None
    return SPECIFICATION_VERSIONS.get(getattr(version, "value", None)) == JOB


def _files_to_read(layout: L.Layout) -> list:
    """The files the client reads; a `template.yml` stands in for a missing template (the client would refuse the
    bundle, which is reported, but its values can still be checked against it)."""
    files = list(layout.files)
    if layout.path(L.TEMPLATE) is None:
        files += [(L.TEMPLATE, path) for path in layout.unread
                  if os.path.basename(path) == L.TEMPLATE + L.UNREAD_SUFFIX]
    return files
