"""Start-up stays light: `calque --version`, `--help` and every command's --help import none of the heavy
libraries; those load only inside the commands that use them (timings: benchmarks/startup.md)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from pipelines.cli import COMMAND_MODULES, LAZY_COMMANDS, main

HEAVY = ("pandas", "sqlalchemy", "numpy", "sacrebleu", "pyarrow", "torch")
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def imported_modules(*args: str) -> set[str]:
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "pipelines.cli", *args], capture_output=True, text=True,
                            cwd=REPO, env={**os.environ, "PYTHONPATH": REPO}, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}


def heavy(modules: set[str]) -> set[str]:
    return {m for m in modules if m.split(".")[0] in HEAVY}


def test_version_imports_no_heavy_library():
    modules = imported_modules("--version")
    assert "pipelines.cli" in modules  # the measurement saw the CLI load
    assert heavy(modules) == set()


def test_help_of_the_group_and_of_every_command_imports_no_heavy_library():
    assert heavy(imported_modules("--help")) == set()
    for command in sorted(LAZY_COMMANDS):
        assert heavy(imported_modules(command, "--help")) == set(), command


def test_the_lazy_command_table_matches_what_the_modules_register():
    from click.testing import CliRunner

    assert CliRunner().invoke(main, ["--help"]).exit_code == 0
    for module in COMMAND_MODULES:
        main.get_command(None, next(n for n, m in LAZY_COMMANDS.items() if m == module))
    assert set(main.commands) == set(LAZY_COMMANDS), "list every command in pipelines.cli.LAZY_COMMANDS so it loads lazily"
    assert {main.commands[name].callback.__module__ for name in main.commands} == set(COMMAND_MODULES)


def test_names_spelled_out_for_start_up_match_the_release_code():
    from corpus.releases.diff import WORKING
    from corpus.releases.exports import RELEASE_EXPORTS
    from pipelines.cli import release_commands

    assert release_commands.RELEASE_EXPORT_NAMES == tuple(RELEASE_EXPORTS) and release_commands.WORKING == WORKING


@pytest.mark.parametrize("args", [["stats", "--help"], ["--version"]])
def test_python_dash_m_runs_the_cli(args):
    result = subprocess.run([sys.executable, "-m", "pipelines.cli", *args], capture_output=True, text=True, cwd=REPO,
                            env={**os.environ, "PYTHONPATH": REPO}, timeout=120)
    assert result.returncode == 0 and ("calque" in result.stdout)
