"""Fuzz campaign: many mutated inputs through every importer and every API route (tests/fuzz/harness.py).

    python benchmarks/fuzz_bench.py                          # 1000 cases per importer/route, writes benchmarks/fuzz.md
    python benchmarks/fuzz_bench.py --cases 200 --seed 7     # a quicker run
    python benchmarks/fuzz_bench.py --report /tmp/fuzz.md

A crash is a traceback (an exception that is not a CalqueError), a 5xx, a refusal that changed the store,
or an error message spanning lines. The suite runs the same harness, bounded (tests/fuzz/test_fuzz.py).
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000, help="cases per importer and per route")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--report", type=Path, default=REPO / "benchmarks" / "fuzz.md")
    args = parser.parse_args()

    from starlette.testclient import TestClient

    from pipelines.serve import AccessPolicy, TokenStore, create_app
    from tests.fuzz.harness import IMPORTERS, ROUTES, Tally, Targets, Workbench, open_campaign, route_case, run_case

    rows, crashes = [], Counter()
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        bench = Workbench(Path(folder))
        for importer in IMPORTERS:
            rng, tally, fresh, began = random.Random(f"{args.seed}-{importer.name}"), Tally(), [True], time.monotonic()
            for _ in range(args.cases):
                run_case(bench, importer, rng, tally, fresh)
            rows.append((f"import {importer.name}", tally, time.monotonic() - began))
            crashes.update(c.split(" at ")[0][:140] for c in tally.crashes)
            print(f"import {importer.name}: {tally.accepted} accepted, {tally.refused} refused, {len(tally.crashes)} crashes", flush=True)
        corpus = bench.corpus("demo", fresh=True, user="server")
        app = create_app(corpus, AccessPolicy.for_binding("127.0.0.1", TokenStore(corpus.path), "alice"))
        client = TestClient(app, base_url="http://127.0.0.1:8000", raise_server_exceptions=False)
        created = client.post("/api/annotations", json={"translation": "harbour-bridge.de.mt", "segment": 2, "start": 4, "end": 10,
                                                        "category": "Accuracy/Mistranslation", "severity": "Major"}).json()
        targets = open_campaign(client, corpus, Targets([created["id"], *corpus.annotations().id[:5]]))
        for route in ROUTES:
            rng, tally, began = random.Random(f"{args.seed}-{route}"), Tally(), time.monotonic()
            for _ in range(args.cases):
                route_case(client, corpus, targets, route, rng, tally)
            rows.append((f"API {route}", tally, time.monotonic() - began))
            crashes.update(c[:140] for c in tally.crashes)
            print(f"API {route}: {tally.accepted} accepted, {tally.refused} refused, {len(tally.crashes)} crashes", flush=True)
        app.service.close()
        bench.close()
    total = sum(t.accepted + t.refused + len(t.crashes) for _, t, _ in rows)
    load = os.getloadavg()
    lines = [
        "# Fuzz campaign (issues 15 and 20)",
        "",
        f"`python benchmarks/fuzz_bench.py --cases {args.cases} --seed {args.seed}` — {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, "
        f"{platform.machine()}, {os.cpu_count()} cores, load average {load[0]:.1f} at the end, {time.monotonic() - started:.0f} s in all.",
        "",
        "Each case mutates one of Calque's own exports of one demo document (or a small TMX/TBX/CSV/JSONL/text seed) — "
        "a JSON value at any depth swapped for one of another type (also inside Appraise's JSON column), for deep nesting, "
        "a huge or non-finite number, a lone surrogate, NUL; a CSV/TSV cell replaced; XML elements nested 300-5000 deep, "
        "a hostile attribute, an element where text belongs; bytes inserted, deleted, truncated or re-encoded; a bogus XML "
        "encoding — or sends one hostile request to an API route (wrong types at any depth, integers of 2^31, 2^53, 2^63). "
        "Glossaries and term lists are read and then used to score a few segments. "
        "*Crash* = a traceback, a 5xx, a refusal that changed the store, or a multi-line error.",
        "",
        "| target | cases | accepted | refused (one-line error / 4xx) | crashes | seconds |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, tally, seconds in rows:
        lines.append(f"| {name} | {tally.accepted + tally.refused + len(tally.crashes)} | {tally.accepted} | {tally.refused} | "
                     f"{len(tally.crashes)} | {seconds:.1f} |")
    lines += ["", f"**{total} cases, {sum(crashes.values())} crashes.**", ""]
    if crashes:
        lines += ["Crashes by cause:", ""] + [f"- {n} × {cause}" for cause, n in crashes.most_common()] + [""]
    args.report.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.report}")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
