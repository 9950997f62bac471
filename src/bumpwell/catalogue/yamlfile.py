"""Strict YAML reading: safe types only, duplicate keys refused with their line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bumpwell.errors import ContentError

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_Base):  # type: ignore[valid-type,misc]  # the C loader's type is only known at run time
    """SafeLoader that refuses a mapping with the same key twice."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                line = key_node.start_mark.line + 1
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r} (line {line})")
            seen.add(key)
        return dict(super().construct_mapping(node, deep=deep))


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _StrictLoader.construct_mapping,
)


def read_yaml(path: Path, name: str) -> Any:
    """Parse one YAML file; any syntax error or duplicate key becomes a ContentError naming ``name``."""
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_StrictLoader)  # _StrictLoader is a SafeLoader
    except OSError as exc:
        raise ContentError(name, "(file)", f"cannot be read: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ContentError(name, "(file)", f"not valid YAML: {_first_line(exc)}") from exc


def _first_line(exc: yaml.YAMLError) -> str:
    text = " ".join(str(exc).split())
    return text[:300]
