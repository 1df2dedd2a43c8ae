from __future__ import annotations

import pytest

from pipelines.fidelity.system_names import short_names


@pytest.mark.parametrize("paths, expected", [
    (["out/wmt22.en-de.sysA.txt", "out/wmt22.en-de.sysB.txt"], ["sysA", "sysB"]),
    (["/data/system-outputs/en-de/newstest.en-de.Online-W", "/data/system-outputs/en-de/newstest.en-de.JDExploreAcademy"],
     ["Online-W", "JDExploreAcademy"]),
    (["runs/a/hyp.de", "runs/b/hyp.de"], ["a", "b"]),
    (["sysA.de", "sysB.de", "sysA-fixed.de"], ["sysA", "sysB", "sysA-fixed"]),
    (["/tmp/x/only.de.txt"], ["only.de"]),
    (["base.de", "base.de.new"], ["base.de", "base.de.new"]),  # nothing in common to cut cleanly: file names kept
])
def test_short_names(paths, expected):
    assert short_names(paths) == expected


def test_eval_prints_short_names(tmp_path):
    from click.testing import CliRunner

    from pipelines.cli import main

    ref = tmp_path / "ref.de"
    ref.write_text("Das ist ein Test.\nNoch ein Satz.\n", "utf-8")
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    for name, text in (("careful", "Das ist ein Test.\nNoch ein Satz.\n"), ("literal", "Dies ist ein Test.\nEin weiterer Satz.\n")):
        (outputs / f"wmt.en-de.{name}.txt").write_text(text, "utf-8")
    result = CliRunner().invoke(main, ["eval", "-r", str(ref), "-t", str(outputs / "wmt.en-de.careful.txt"),
                                       str(outputs / "wmt.en-de.literal.txt"), "--metrics", "chrf"])
    assert result.exit_code == 0, result.output
    rows = [line.split()[0] for line in result.stdout.splitlines() if line.split() and line.split()[0] in ("careful", "literal")]
    assert rows == ["careful", "literal"] and str(outputs) not in result.stdout.split("chrf")[0]
