"""The package's shape: stages that import only the stages below them, one
declaration per concept, and quick stages that never load the renderer.

docs/architecture.md states the rule these tests hold the code to.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from handout.build.config import PROJECT_ROOT
from handout.content.blocks import KINDS, TRANSLATED_FIELDS, BlockWords, template_of
from handout.core.editions import EDITIONS
from handout.gates.registry import GATES

PACKAGE = PROJECT_ROOT / "handout"
STAGES = ("core", "content", "render", "gates", "build", "preview", "cli")
"""From the bottom up: a stage may import the stages before it, never those after."""
MAX_LINES = 350


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every ``handout.*`` module ``path`` imports, with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found.extend((node.lineno, name) for name in names if name.startswith("handout."))
    return found


def test_every_module_belongs_to_a_stage() -> None:
    loose = sorted(p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py")
    assert loose == []
    assert sorted(p.name for p in PACKAGE.iterdir() if p.is_dir()
                  and p.name != "__pycache__") == sorted(STAGES)


def test_stages_import_only_the_stages_below_them() -> None:
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        stage = path.relative_to(PACKAGE).parts[0]
        if stage not in STAGES:
            continue
        for line, name in _imports(path):
            target = name.split(".")[1]
            if STAGES.index(target) > STAGES.index(stage):
                upward.append(f"{path.relative_to(PROJECT_ROOT)}:{line}: {stage} imports {name}")
    assert upward == []


def test_no_module_is_over_the_size_a_reader_takes_in() -> None:
    long = {str(p.relative_to(PROJECT_ROOT)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_loading_and_gating_never_load_the_renderer() -> None:
    """Checking content, running the gates and a build that renders nothing must not
    pay for WeasyPrint's import (nor need it to work)."""
    code = ("import sys; import handout.content.loader, handout.gates.registry, "
            "handout.build.pipeline, handout.cli.main; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('weasyprint', 'pydyf', 'pypdfium2')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=PROJECT_ROOT)
    assert result.stdout.strip() == "[]"


def test_every_block_kind_has_its_template_and_its_translation_fields() -> None:
    for kind, model in KINDS.items():
        assert (PROJECT_ROOT / "templates" / template_of(kind)).is_file(), kind
        for printed in model.text_fields():
            assert printed.name in model.model_fields, (kind, printed.name)
            assert TRANSLATED_FIELDS[printed.name] == printed
            assert printed.name in BlockWords.model_fields


def test_gates_and_editions_are_declared_once() -> None:
    ids = [gate.id for gate in GATES]
    assert len(ids) == len(set(ids))
    assert [edition for edition in EDITIONS.values() if edition.proof] == [EDITIONS["standard"]]
