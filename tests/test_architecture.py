"""The house rules of the code, checked on every run (ENGINEERING.md, Layout).

Each rule here was once broken in a way that let the web and the API disagree: a
role group typed again, a sharing check written by hand, a generic module that
knew the domain. They are read from the source, so they fail as soon as a change
breaks them, whatever the tests of behaviour happen to cover.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "withus"


def sources() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def app_of(module: str) -> str | None:
    """The installed WithUs app a dotted module belongs to, if any."""
    for app in APPS:
        if module == app or module.startswith(app + "."):
            return app
    return None


def module_of(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def imports(tree: ast.Module, module: str) -> Iterator[str]:
    """Every module ``tree`` imports, at any depth (function-level imports count too)."""
    package = module.rsplit(".", 1)[0] if not module.endswith("__init__") else module
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                yield ".".join([*base, node.module] if node.module else base)
            elif node.module:
                yield node.module


APPS = sorted((a for a in settings.INSTALLED_APPS if a.startswith("withus.")), key=len, reverse=True)


def app_graph() -> dict[str, dict[str, set[str]]]:
    """app -> imported app -> the files that import it."""
    graph: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for path, tree in sources():
        module = module_of(path)
        source = app_of(module)
        if source is None:
            continue
        for imported in imports(tree, module):
            target = app_of(imported)
            if target is not None and target != source:
                graph[source][target].add(str(path.relative_to(ROOT)))
    return graph


def test_core_imports_no_domain_app() -> None:
    graph = app_graph()
    assert dict(graph.get("withus.core", {})) == {}


def test_nothing_imports_the_demo() -> None:
    graph = app_graph()
    importers = {app: files for app, targets in graph.items() for t, files in targets.items() if t == "withus.demo"}
    assert importers == {}


def test_there_are_no_import_cycles_between_apps() -> None:
    graph = app_graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(app: str) -> None:
        state[app] = 1
        stack.append(app)
        for target in graph.get(app, {}):
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target) :], target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[app] = 2

    for app in list(graph):
        if app not in state:
            visit(app)
    described = []
    for cycle in cycles:
        files = sorted(f for a, b in pairwise(cycle) for f in graph[a][b])
        described.append(" -> ".join(cycle) + " (" + "; ".join(files) + ")")
    assert described == []


def test_no_role_group_is_written_outside_roles() -> None:
    """A tuple, list or set of two or more roles is a role group: it belongs in accounts/roles.py."""
    found = []
    for path, tree in sources():
        if path == PACKAGE / "accounts" / "roles.py":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Tuple | ast.List | ast.Set):
                roles = [
                    e
                    for e in node.elts
                    if isinstance(e, ast.Attribute) and isinstance(e.value, ast.Name) and e.value.id == "Role"
                ]
                if len(roles) >= 2:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            elif isinstance(node, ast.Call) and len(node.args) >= 4:
                # has_role(user, organisation, Role.A, Role.B): a group spelled out as arguments.
                spelled = [
                    a
                    for a in node.args
                    if isinstance(a, ast.Attribute) and isinstance(a.value, ast.Name) and a.value.id == "Role"
                ]
                if len(spelled) >= 2:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


def test_no_private_require_helpers() -> None:
    """One permission check (accounts.selectors.require), not one per app."""
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path, tree in sources()
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and re.fullmatch(r"_require\w*", node.name)
    ]
    assert found == []


SHARING_BY_HAND = re.compile(r"SHARE_WITH_ORGANISATION|sharing_with\([^)]*\)\.filter\(pk")


def test_whether_someone_shares_with_an_organisation_is_asked_of_the_people_selector() -> None:
    """Outside the people app, nobody reads sharing consents by hand: people.selectors answers."""
    found = []
    for path, _tree in sources():
        if path.is_relative_to(PACKAGE / "people") or path.is_relative_to(PACKAGE / "demo"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if SHARING_BY_HAND.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}")
    assert found == []


def test_no_module_is_named_with_a_sub_domain_suffix() -> None:
    """Sub-domains are sub-packages (rewards/cash/views.py), never views_cash.py."""
    kinds = "views|forms|urls|api|services|selectors|models|admin|tests?"
    found = [
        str(path.relative_to(ROOT))
        for path, _tree in sources()
        if re.fullmatch(rf"({kinds})_\w+\.py", path.name) and path.name != "__init__.py"
    ]
    assert found == []


def test_every_app_that_holds_something_about_a_person_says_what_in_its_privacy_module() -> None:
    """A model with a foreign key to a person makes its app answer subject access (privacy.export)."""
    from django.apps import apps

    from withus.people.models import Person

    missing = set()
    for model in apps.get_models():
        config = apps.get_app_config(model._meta.app_label)
        if not config.name.startswith("withus.") or config.name == "withus.demo":
            continue
        points_at_person = any(
            getattr(f, "related_model", None) is Person for f in model._meta.get_fields() if f.concrete
        )
        if points_at_person and not (Path(config.path) / "privacy.py").exists():
            missing.add(config.name)
    assert missing == set()
