"""The house plan (docs/architecture.md, "Apps and layers") is held by the code, read as source with `ast`.

- `core` is the ground floor: it imports no domain app and nothing of the composition root `laizhou_xiaobao`.
- The domain apps never import the composition root (the dashboard, demo data and the benchmark sit above them).
- No import cycles between modules of the project, function-level imports included.
- A migration imports no project code (Django, libraries and the standard library only), except `import x.y` of a
  callable Django itself wrote as a field's `upload_to` or `storage`: live code changes after the migration is
  made, and the migration must still do what it did.
- Every setting the code reads is defined in settings.py (or is one of Django's own), never `getattr` with a
  default; every environment variable settings.py reads is in the README's configuration table.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.conf import global_settings

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_APPS = ("complaints", "mediation", "outreach", "institutions")
PROJECT_PACKAGES = ("core", *DOMAIN_APPS, "laizhou_xiaobao")


def _files(*packages: str) -> list[Path]:
    return sorted(path for package in packages for path in (ROOT / package).rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in the file, relative ones resolved, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            # `from . import x` and `from pkg import module` name a module too.
            found += [(node.lineno, module)] + [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def _offending(paths, forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in paths
        for line, module in _imports(path)
        if module.split(".")[0] in forbidden
    ]


def test_core_imports_no_domain_app_and_not_the_composition_root():
    assert _offending(_files("core"), (*DOMAIN_APPS, "laizhou_xiaobao")) == []


def test_domain_apps_do_not_import_the_composition_root():
    assert _offending(_files(*DOMAIN_APPS), ("laizhou_xiaobao",)) == []


def _import_graph() -> dict[str, set[str]]:
    modules = {_module_name(path): path for path in _files(*PROJECT_PACKAGES) if "migrations" not in path.parts}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for _line, module in _imports(path):
            # `from pkg import name` where name is not a module resolves to the package itself.
            while module and module not in modules:
                module = module.rpartition(".")[0]
            # A package's __init__ re-exporting its own modules is not a cycle with them.
            if module and module != name and not module.startswith(name + ".") and not name.startswith(module + "."):
                targets.add(module)
        graph[name] = targets
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def test_no_import_cycles_between_modules():
    assert _cycles(_import_graph()) == []


# --- Migrations ---------------------------------------------------------------------------------------------


def _migration_violations(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # Names bound by `import a.b` of project code; they may only be used as a field's upload_to or storage.
    project_imports = set()
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in PROJECT_PACKAGES:
                    project_imports.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").split(".")[0] in PROJECT_PACKAGES):
            problems.append(f"{path.relative_to(ROOT)}:{node.lineno} imports from {node.module}")
    allowed = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in ("upload_to", "storage"):
            allowed |= {id(inner) for inner in ast.walk(node.value)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in project_imports and id(node) not in allowed:
            problems.append(f"{path.relative_to(ROOT)}:{node.lineno} uses {node.id} outside a field's upload_to")
    return problems


def test_migrations_import_no_live_code():
    migrations = [path for path in _files(*PROJECT_PACKAGES) if path.parent.name == "migrations"]
    assert len(migrations) > 20
    assert [problem for path in migrations for problem in _migration_violations(path)] == []


# --- Settings -----------------------------------------------------------------------------------------------

SETTINGS_PY = ROOT / "laizhou_xiaobao" / "settings.py"


def _defined_settings() -> set[str]:
    tree = ast.parse(SETTINGS_PY.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        names |= {t.id for t in targets if isinstance(t, ast.Name) and t.id.isupper()}
    return names


def _settings_read() -> dict[str, str]:
    """{setting: where} for every `settings.NAME` and `getattr(settings, "NAME"…)` in the code."""
    read = {}
    for path in _files(*PROJECT_PACKAGES):
        if path == SETTINGS_PY:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "settings"
                and node.attr.isupper()
            ):
                read.setdefault(node.attr, f"{path.relative_to(ROOT)}:{node.lineno}")
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "getattr"
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id == "settings"
                and isinstance(node.args[1], ast.Constant)
            ):
                read.setdefault(node.args[1].value, f"{path.relative_to(ROOT)}:{node.lineno}")
    return read


def test_every_setting_the_code_reads_is_defined_in_settings_py():
    read = _settings_read()
    assert {"SITE_URL", "LEDGER_EXPORT_ASYNC_ROWS", "OUTREACH_PHOTO_MAX_BYTES", "DUE_SOON_WORKING_DAYS"} <= set(read)
    defined = _defined_settings() | {name for name in dir(global_settings) if name.isupper()}
    assert {name: where for name, where in read.items() if name not in defined} == {}


def test_no_setting_is_read_with_a_fallback_default():
    found = []
    for path in _files(*PROJECT_PACKAGES):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "getattr"
                and len(node.args) == 3
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id == "settings"
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


def test_every_environment_variable_is_in_the_readme_table():
    read = set(re.findall(r"env_(?:str|int|bool|list)\(\s*\"([A-Z0-9_]+)\"", SETTINGS_PY.read_text(encoding="utf-8")))
    assert {"SECRET_KEY", "SITE_URL", "LEDGER_EXPORT_KEEP_HOURS"} <= read
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## 配置（环境变量）", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`([A-Z0-9_]+)`", table))
    assert sorted(read - documented) == []


@pytest.mark.parametrize("setting", ["DUE_SOON_WORKING_DAYS"])
def test_the_due_soon_default_lives_only_in_settings(setting):
    """One default: no other module names the number beside the setting (core.services.deadlines reads it)."""
    pattern = re.compile(rf"(DEFAULT_SOON_WORKING_DAYS|{setting}\s*=)")
    holders = [
        str(path.relative_to(ROOT))
        for path in _files(*PROJECT_PACKAGES)
        if path != SETTINGS_PY and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert holders == []


MAX_MODULE_LINES = 450


def test_no_module_is_over_450_lines():
    """Modules stay small enough to read whole (docs/architecture.md); migrations are generated and exempt."""
    long = [
        f"{path.relative_to(ROOT)}: {lines} lines"
        for path in _files(*PROJECT_PACKAGES)
        if "migrations" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    ]
    assert not long, "Split these modules:\n" + "\n".join(long)
