"""YAML for the organisation file, read safely: no aliases, no duplicate keys, no dates.

Aliases (``*name``) are refused before anything is built, so nothing can expand (a few lines
of anchors grow to gigabytes); flow brackets nested deeper than :data:`MAX_DEPTH` are refused
before PyYAML spends minutes on them; a digit run too long for an integer stays text, for the
row checks to report.
"""

from __future__ import annotations

from typing import Any

import yaml

from bot.desk.org import OrgFileError
from bot.texts import org as t

MAX_DEPTH = 20  # brackets nested; a real file nests 3 deep (a desk mapping in a team item)


class _DuplicateKey(Exception):
    """A mapping names the same key twice."""

    def __init__(self, key: str, line: int) -> None:
        super().__init__(key)
        self.key, self.line = key, line


class _Loader(yaml.SafeLoader):
    """YAML without implicit dates (``2026-13-01`` stays text so it can be a row error) and
    without duplicate keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    raise _DuplicateKey(key_node.value, key_node.start_mark.line + 1)
                seen.add(key_node.value)
        return super().construct_mapping(node, deep)


def _int_or_text(loader: _Loader, node: yaml.ScalarNode) -> Any:
    """An integer as YAML reads it, but a run of digits too long for one stays text."""
    if len(node.value) > 18:
        return str(node.value)
    return yaml.SafeLoader.construct_yaml_int(loader, node)


_Loader.add_constructor("tag:yaml.org,2002:int", _int_or_text)
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _flow_depth(text: str) -> int:
    """How deep ``[`` / ``{`` nest outside quoted strings (a cheap look before parsing)."""
    depth = deepest = 0
    quote = ""
    for ch in text:
        if quote:
            if ch == quote or ch == "\n":
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth = max(0, depth - 1)
    return deepest


def load_yaml(text: str, name: str) -> tuple[Any, yaml.Node | None]:
    """The data and the node tree of ``text`` (``name`` is the file, for messages).

    Raises:
        OrgFileError: an alias, a duplicate key, nesting too deep or not YAML at all.
    """
    if _flow_depth(text) > MAX_DEPTH:  # PyYAML takes minutes on 100,000 nested brackets
        raise OrgFileError(t.YAML_TOO_DEEP.format(path=name))
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                line = event.start_mark.line + 1 if event.start_mark else 0
                raise OrgFileError(t.YAML_ALIAS.format(path=name, line=line, name=event.anchor))
        data = yaml.load(text, Loader=_Loader)
        node = yaml.compose(text, Loader=_Loader)
    except _DuplicateKey as exc:
        raise OrgFileError(
            t.YAML_DUPLICATE_KEY.format(path=name, line=exc.line, key=exc.key)
        ) from exc
    except RecursionError as exc:
        raise OrgFileError(t.YAML_TOO_DEEP.format(path=name)) from exc
    except (yaml.YAMLError, ValueError) as exc:
        raise OrgFileError(t.BAD_YAML.format(path=name, error=exc)) from exc
    return data, node
