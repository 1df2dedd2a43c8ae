"""The demo's last step: publish release 1.0.0 of the demo corpus and verify it."""
from __future__ import annotations

from pathlib import Path

from corpus import Corpus
from corpus.releases import Releases, VerificationError

DEMO_VERSION = "1.0.0"


def publish_first_release(corpus: Corpus, workdir: Path) -> str:
    releases = Releases(corpus)
    manifest = releases.create(DEMO_VERSION, notes="The Calque demo corpus: an annotated seed and three bilingual news documents.",
                               title="Calque demo corpus")
    report = releases.verify(DEMO_VERSION, content=True)
    if not report["ok"]:
        raise VerificationError(DEMO_VERSION, report["problems"])
    by_reason: dict[str, list[str]] = {}
    for name, reason in manifest["exports_skipped"].items():
        by_reason.setdefault(reason, []).append(name)
    skipped = "; ".join(f"{' and '.join(names)} left out ({reason})" for reason, names in by_reason.items())
    return (f"published release {DEMO_VERSION} ({report['files']} files in {releases.root / DEMO_VERSION}) and verified it: "
            f"{manifest['content_hash']}" + (f"; {skipped}" if skipped else ""))
