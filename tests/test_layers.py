"""Inner layers never import outer ones: the domain code runs without Django."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import bachata

DJANGO_SHELL = {"choreography", "site", "cli"}


def test_domain_packages_import_without_django():
    domain = []
    for top in pkgutil.iter_modules(bachata.__path__):
        if top.name in DJANGO_SHELL:
            continue
        domain.append(f"bachata.{top.name}")
        if top.ispkg:  # every module, not only the package's __init__
            path = [f"{bachata.__path__[0]}/{top.name}"]
            domain += [
                m.name
                for m in pkgutil.walk_packages(path, prefix=f"bachata.{top.name}.")
                if not m.name.endswith(".__main__")
            ]
    assert "bachata.blueprint" in domain and "bachata.render.stream" in domain
    code = (
        "import importlib, sys\n"
        f"for name in {domain!r}: importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not leaked, leaked\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _import_graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports anywhere in its text (local imports too:
    they only hide a loop)."""
    import ast
    from pathlib import Path

    src = Path(bachata.__path__[0]).parent
    modules = {}
    for path in Path(bachata.__path__[0]).rglob("*.py"):
        if "migrations" not in path.parts:
            name = ".".join(path.relative_to(src).with_suffix("").parts)
            modules[name.removesuffix(".__init__")] = path

    def owner(name: str) -> str:
        while name not in modules and "." in name:
            name = name.rsplit(".", 1)[0]
        return name if name in modules else ""

    graph = {}
    for name, path in modules.items():
        edges = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                edges |= {owner(a.name) for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    edges.add(full if full in modules else owner(node.module))
        graph[name] = edges - {name, ""}
    return graph


def _loops(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    loops = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                loops.append(component)

    for node in graph:
        if node not in index:
            visit(node)
    return loops


def test_the_import_graph_has_no_loop_but_the_storage_factory():
    assert _loops({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]
    graph = _import_graph()
    assert "bachata.choreography.services.choreographies" in graph["bachata.choreography.services"]
    # storage.base picks the backend (local or gcs), whose modules build on base.
    factory = {"bachata.storage.base", "bachata.storage.gcs", "bachata.storage.local"}
    assert [loop for loop in _loops(graph) if loop != factory] == []


def test_the_cli_goes_through_services_and_selectors():
    """No ORM query in the CLI: reads are selectors, writes are services (#19)."""
    from pathlib import Path

    cli = Path(bachata.__path__[0]) / "cli"
    direct = [
        f"{path.name}: {line.strip()}"
        for path in sorted(cli.glob("*.py"))
        for line in path.read_text().splitlines()
        if ".objects." in line or "get_user_model" in line
    ]
    assert direct == []
