"""The domain is pure: it imports only the standard library and bumpwell.errors, and reads no clock, file or
environment. import-linter forbids the known third-party packages; this test closes the list."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import bumpwell.domain

DOMAIN = Path(bumpwell.domain.__file__).parent
MODULES = sorted(DOMAIN.glob("*.py"))
IMPURE_CALLS = {"today", "now", "utcnow", "time", "perf_counter", "open", "getenv", "random", "urandom"}


def imported(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_domain_imports_only_the_standard_library() -> None:
    assert MODULES
    for path in MODULES:
        for name in imported(ast.parse(path.read_text(encoding="utf-8"))):
            top = name.split(".")[0]
            allowed = top in sys.stdlib_module_names or name.startswith(("bumpwell.domain", "bumpwell.errors"))
            assert allowed, f"{path.name} imports {name}"


def test_domain_reads_no_clock_file_or_environment() -> None:
    for path in MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                assert name not in IMPURE_CALLS, f"{path.name}:{node.lineno} calls {name}()"
            if isinstance(node, ast.Attribute):
                assert node.attr != "environ", f"{path.name}:{node.lineno} reads the environment"
