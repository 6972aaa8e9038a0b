"""The house's floor plan holds: core/'s imports run only downward through the wings, and no module imports itself
back through others (read from the code with `ast`, function-level imports included)."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "core"

# Each part of core/ and the parts it may import besides itself. The ground floor (config, events, models, errors,
# paths, logs, urls, worker_count, processes) imports no wing; the command lines sit on top.
MAY_IMPORT: dict[str, set[str]] = {
    "ground": set(),
    "workbook": {"ground"},
    "po": {"ground"},
    "run": {"ground", "workbook", "po"},
    "demo_portal": {"ground"},
    "printer": {"ground"},
    "distributed": {"ground", "workbook", "po", "run", "printer"},
    "cli": {"ground", "workbook", "po", "run", "demo_portal", "printer", "distributed"},
}
WINGS = ("workbook", "po", "run", "demo_portal", "distributed")


def part_of(module: str) -> str:
    name = module.split(".")[1] if module.count(".") else ""
    if name in WINGS:
        return name
    return name if name in ("cli", "printer") else "ground"


def core_modules() -> dict[str, Path]:
    modules = {}
    for path in CORE.rglob("*.py"):
        parts = path.relative_to(CORE.parent).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def imports_of(module: str, path: Path, known: set[str]) -> set[str]:
    """The core modules `module` imports (a `from package import name` that names a module counts as that module)."""
    found: set[str] = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1], base]).strip(".")
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in known else base)
    return {name for name in found if name in known and name != module}


def import_graph() -> dict[str, set[str]]:
    modules = core_modules()
    return {module: imports_of(module, path, set(modules)) for module, path in modules.items()}


def test_every_import_runs_down_the_wings() -> None:
    upward = [
        f"{module} -> {target}"
        for module, targets in import_graph().items()
        for target in sorted(targets)
        if part_of(target) != part_of(module) and part_of(target) not in MAY_IMPORT[part_of(module)]
    ]
    assert upward == [], "imports running upward or sideways between wings"


def test_no_import_cycles() -> None:
    graph = import_graph()
    cycles: list[list[str]] = []
    # Tarjan's strongly connected components: any component of two or more modules is a cycle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in graph[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    assert cycles == []


def test_the_graph_is_read_at_all() -> None:
    graph = import_graph()
    assert "core.run.supervisor" in graph["core.cli"]
    assert {"core.run.fleet", "core.workbook.spreadsheet"} <= graph["core.run.supervisor"]
