"""The layers are a contract: the core below the read side and the channels, those below
the web and the shell. Read from the source itself, so a new import across is a failure
here, not a surprise in review."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# What each top-level package may import of the others. The shell wires and runs every
# part; the web is given its parts by the shell and knows them by type alone.
MAY_IMPORT = {
    "tracker": set(),
    "projections": {"tracker"},
    "delivery": {"tracker"},
    "web": {"tracker", "projections", "delivery"},
    "shell": {"tracker", "projections", "delivery", "web"},
}


def _runtime_imports(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """Every import but those under `if TYPE_CHECKING:` (types, not a dependency at run time)."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(inner) for part in node.body for inner in ast.walk(part))
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module


def _crossings(package: str) -> list[str]:
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for line, module in _runtime_imports(ast.parse(path.read_text(), str(path))):
            top = module.split(".")[0]
            if top in MAY_IMPORT and top != package and top not in MAY_IMPORT[package]:
                found.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return found


@pytest.mark.parametrize("package", sorted(MAY_IMPORT))
def test_a_package_imports_only_the_layers_below_it(package: str) -> None:
    assert _crossings(package) == []


def test_the_contract_reads_imports_at_all() -> None:
    # A reader that found nothing would pass every package: the shell imports them all.
    tops = {
        module.split(".")[0]
        for path in (ROOT / "shell").rglob("*.py")
        for _, module in _runtime_imports(ast.parse(path.read_text()))
    }
    assert set(MAY_IMPORT["shell"]) <= tops
