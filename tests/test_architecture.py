"""The shape of the code, checked: stages import downwards only (no import loop, no private name taken
from another module), the library never imports Prefect, the web app or the command line, the NLP stage
is loaded only by what needs it, and nothing passes between stages through ``doc.user_data``."""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, ROOT

LIBRARY = ROOT / "pipeline"
APP_PACKAGES = ("prefect", "prefect_dask", "distributed", "dask", "fastapi", "uvicorn", "starlette", "flows", "review",
                "bulletins")


def _modules(root: Path) -> dict[str, Path]:
    out = {}
    for p in root.rglob("*.py"):
        name = ".".join(p.relative_to(root.parent).with_suffix("").parts)
        out[name[: -len(".__init__")] if name.endswith(".__init__") else name] = p
    return out


def _imports(name: str, path: Path) -> list[tuple[str, str]]:
    """(module imported, name imported or '') of every import statement, lazy ones included."""
    pkg = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(a.name, "") for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg.split(".")[: len(pkg.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            out += [(target, a.name) for a in node.names]
    return out


def _graph() -> dict[str, set[str]]:
    mods = _modules(LIBRARY)
    graph = {m: set() for m in mods}
    for m, p in mods.items():
        for target, name in _imports(m, p):
            full = f"{target}.{name}"
            dep = full if full in mods else target
            if dep in mods and dep != m:
                graph[m].add(dep)
    return graph


def test_no_import_loop_in_the_library():
    graph = _graph()
    loops, state = [], {}

    def visit(m, stack):
        state[m] = "open"
        stack.append(m)
        for d in graph[m]:
            if state.get(d) == "open":
                loops.append(stack[stack.index(d):] + [d])
            elif d not in state:
                visit(d, stack)
        stack.pop()
        state[m] = "done"
    for m in graph:
        if m not in state:
            visit(m, [])
    assert not loops, loops


def test_stages_import_downwards():
    """The text stage never reaches the NLP or records stages; the NLP stage never reaches records or the
    store; records never reach the store."""
    graph = _graph()
    forbidden = {"pipeline.text": ("pipeline.nlp", "pipeline.records", "pipeline.store", "pipeline.extract"),
                 "pipeline.nlp": ("pipeline.records", "pipeline.store", "pipeline.text", "pipeline.extract"),
                 "pipeline.records": ("pipeline.store", "pipeline.text", "pipeline.extract"),
                 "pipeline.lang_fr": ("pipeline.text", "pipeline.nlp", "pipeline.records", "pipeline.store")}
    bad = [(m, d) for m, deps in graph.items() for stage, no in forbidden.items() if m.startswith(stage)
           for d in deps if d.startswith(no)]
    assert not bad, bad


@pytest.mark.parametrize("root", ["pipeline", "flows", "review", "bulletins"])
def test_no_private_name_imported_from_another_module(root):
    bad = []
    for m, p in _modules(ROOT / root).items():
        for target, name in _imports(m, p):
            if name.startswith("_") and not name.startswith("__") and target.split(".")[0] in (
                    "pipeline", "flows", "review", "bulletins"):
                bad.append((m, target, name))
    assert not bad, bad


def test_the_library_never_imports_prefect_the_web_app_or_the_command_line():
    bad = []
    for m, p in _modules(LIBRARY).items():
        if m == "pipeline.__main__":
            continue            # `python -m pipeline` (CONTRACT.md) runs the command line: it is not the library
        bad += [(m, t) for t, _ in _imports(m, p) if t.split(".")[0] in APP_PACKAGES]
    assert not bad, bad


def test_only_the_nlp_model_module_imports_spacy():
    users = {m for m, p in _modules(LIBRARY).items() for t, _ in _imports(m, p) if t.split(".")[0] == "spacy"}
    assert users == {"pipeline.nlp.model"}


def test_no_user_data_hand_off():
    hits = [p for p in LIBRARY.rglob("*.py") if "user_data" in p.read_text(encoding="utf-8")]
    assert not hits, hits


def test_loading_and_laying_out_a_pdf_never_loads_spacy():
    code = ("import sys\nfrom pipeline.text import load\n"
            f"load({str(DATA / 'samples' / 'vhsl-p71.pdf')!r}); load({str(DATA / 'samples' / 'vhsl-p71.txt')!r})\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'thinc', 'prefect')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]", out.stdout
