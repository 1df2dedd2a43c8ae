"""Release commands: calque release create | verify | list | diff | checkout | load."""
from __future__ import annotations

from pathlib import Path

import click
from pipelines.cli.common import echo_json, echo_table, json_option, open_corpus, progress_enabled


# The names of corpus.releases.exports.RELEASE_EXPORTS and corpus.releases.diff.WORKING, spelled out so
# that `calque --help` does not load the release machinery (a test keeps them equal).
RELEASE_EXPORT_NAMES = ("tmx", "moses", "xliff", "google-mqm")
WORKING = "WORKING"


def _releases(ctx: click.Context):
    from corpus.releases import Releases

    return Releases(open_corpus(ctx))


def _progress(label: str):
    from tqdm import tqdm

    return tqdm(desc=label, unit="row", disable=not progress_enabled(), leave=False)


@click.group("release")
def release() -> None:
    """Publish immutable, checksummed releases that `datasets` loads, and compare them row by row.

    A release is CORPUS/releases/VERSION/: data/TABLE.parquet, a dataset card (README.md),
    CHANGELOG.md, exports/ (TMX, Moses), manifest.json and SHA256SUMS.

    \b
    Example:
      calque --corpus ./demo-corpus release create 1.1.0 --notes "one more annotation"
      calque --corpus ./demo-corpus release verify 1.1.0
      calque --corpus ./demo-corpus release diff 1.0.0 1.1.0 --json
    """


@release.command("create")
@click.argument("version")
@click.option("--notes", help="What this release is about (goes into the card and the changelog).")
@click.option("--title", help="Pretty name of the dataset (default: 'Calque corpus DIRNAME').")
@click.option("--license", "license_id", help="Hugging Face licence id for the card, e.g. cc-by-4.0 (default: from the rows).")
@click.option("--exports", "exports", default=",".join(RELEASE_EXPORT_NAMES), show_default=True,
              help="Comma-separated exports to include under exports/ (empty for none).")
@json_option
@click.pass_context
def create(ctx: click.Context, version: str, notes: str | None, title: str | None, license_id: str | None, exports: str, as_json: bool) -> None:
    """Publish release VERSION (semantic version, greater than the last release).

    \b
    Example:
      calque --corpus ./demo-corpus release create 1.0.0 --notes "first public release"
      calque --corpus ./big release create 2.0.0 --exports "" --json
    """
    names = [name.strip() for name in exports.split(",") if name.strip()]
    from corpus.releases.exports import RELEASE_EXPORTS

    unknown = [name for name in names if name not in RELEASE_EXPORTS]
    if unknown:
        raise click.BadParameter(f"unknown export(s) {', '.join(unknown)} (known: {', '.join(RELEASE_EXPORTS)})", param_hint="--exports")
    releases = _releases(ctx)
    with _progress(f"release {version}") as bar:
        manifest = releases.create(version, notes=notes, title=title, license=license_id, exports=names, progress=bar)
    if as_json:
        echo_json({key: manifest[key] for key in ("version", "content_hash", "created_at", "previous", "seq", "exports", "exports_skipped")}
                  | {"path": str(releases.root / version), "rows": {n: t["rows"] for n, t in manifest["tables"].items()}})
        return
    rows = ", ".join(f"{t['rows']:,} {n}" for n, t in manifest["tables"].items() if t["rows"])
    click.echo(f"Released {version} in {releases.root / version}: {rows}")
    click.echo(f"Content hash {manifest['content_hash']}")
    for name, reason in manifest["exports_skipped"].items():
        click.echo(f"Warning: export {name} left out: {reason}", err=True)


@release.command("verify")
@click.argument("version")
@click.option("--content", is_flag=True, help="Also recompute the content hash from the Parquet data.")
@json_option
@click.pass_context
def verify(ctx: click.Context, version: str, content: bool, as_json: bool) -> None:
    """Check every byte of release VERSION against its checksums; exit status 1 on any difference.

    VERSION may also be the path of a release folder copied away from its corpus.

    \b
    Example:
      calque --corpus ./demo-corpus release verify 1.0.0
      calque --corpus ./demo-corpus release verify 1.0.0 --content --json
      calque release verify ~/Downloads/demo-corpus-1.0.0
    """
    folder = Path(version)
    if folder.is_dir() and (folder / "manifest.json").is_file():
        from corpus.releases.verify import verify_directory

        report = verify_directory(folder, content=content)  # a release copied away from its corpus
    else:
        report = _releases(ctx).verify(version, content=content)
    if as_json:
        echo_json(report)
        if not report["ok"]:
            ctx.exit(1)
        return
    if report["ok"]:
        checked = "bytes and content hash" if report["content_checked"] else "bytes"
        click.echo(f"Release {version} verified ({report['files']} files, {checked}): {report['content_hash']}")
        return
    for problem in report["problems"]:
        click.echo(f"  {problem}")
    from corpus.releases import VerificationError

    raise VerificationError(version, report["problems"])


@release.command("list")
@click.option("--verify", "check", is_flag=True, help="Verify each release too.")
@json_option
@click.pass_context
def list_releases(ctx: click.Context, check: bool, as_json: bool) -> None:
    """List the releases of the corpus, oldest first.

    \b
    Example:
      calque --corpus ./demo-corpus release list --verify --json
    """
    rows = _releases(ctx).list(verify=check)
    if as_json:
        echo_json(rows)
        return
    table = [{"version": r["version"], "created": (r.get("created_at") or "")[:19], "by": r.get("created_by"),
              "segments": (r.get("rows") or {}).get("segments"), "annotations": (r.get("rows") or {}).get("annotations"),
              "content_hash": (r.get("content_hash") or r.get("error", ""))[:23], **({"ok": r["ok"]} if check else {})} for r in rows]
    echo_table(table)


@release.command("diff")
@click.argument("left")
@click.argument("right", required=False)
@click.option("--working", is_flag=True, help=f"Compare LEFT with the working corpus (same as RIGHT = {WORKING}).")
@click.option("--table", "tables", multiple=True, help="Only this table (repeatable).")
@click.option("--limit", type=int, default=100, show_default=True, help="Most ids listed per table and kind (0: all).")
@json_option
@click.pass_context
def diff(ctx: click.Context, left: str, right: str | None, working: bool, tables: tuple[str, ...], limit: int, as_json: bool) -> None:
    """Row-level differences (added / removed / changed per table) between two releases or a release and the working corpus.

    \b
    Example:
      calque --corpus ./demo-corpus release diff 1.0.0 1.1.0 --json
      calque --corpus ./demo-corpus release diff 1.0.0 --working
      calque --corpus ./demo-corpus release diff 1.0.0 WORKING --table annotations
    """
    if working and right not in (None, WORKING):
        raise click.UsageError("give either RIGHT or --working, not both")
    if right is None and not working:
        raise click.UsageError(f"give the release to compare with, or --working (or {WORKING})")
    from corpus.schema import CONTENT_TABLES

    unknown = [t for t in tables if t not in CONTENT_TABLES]
    if unknown:
        raise click.BadParameter(f"unknown table(s) {', '.join(unknown)} (known: {', '.join(CONTENT_TABLES)})", param_hint="--table")
    result = _releases(ctx).diff(left, right or WORKING, list(tables) or None, limit or None)
    if as_json:
        echo_json(result)
        return
    click.echo(f"{result['left']} → {result['right']}: " + ("identical content" if result["identical"] else
               f"{result['summary']['added']} added, {result['summary']['removed']} removed, {result['summary']['changed']} changed rows"))
    for name, table in result["tables"].items():
        counts = table["counts"]
        if not (counts["added"] or counts["removed"] or counts["changed"]):
            continue
        click.echo(f"{name}: +{counts['added']} -{counts['removed']} ~{counts['changed']}")
        for row_id in table["added"]:
            click.echo(f"  + {row_id}")
        for row_id in table["removed"]:
            click.echo(f"  - {row_id}")
        for change in table["changed"]:
            click.echo(f"  ~ {change['id']}: {', '.join(change['columns'])}")
        if table["truncated"]:
            click.echo("  … (more; use --limit 0 or --json)")


@release.command("checkout")
@click.argument("version")
@click.argument("directory", type=click.Path(file_okay=False))
@json_option
@click.pass_context
def checkout(ctx: click.Context, version: str, directory: str, as_json: bool) -> None:
    """Restore release VERSION as a new working corpus in DIRECTORY (ids, offsets and timestamps intact).

    \b
    Example:
      calque --corpus ./demo-corpus release checkout 1.0.0 ./corpus-1.0.0
      calque --corpus ./corpus-1.0.0 stats
    """
    with _progress(f"checkout {version}") as bar:
        corpus = _releases(ctx).checkout(version, directory, progress=bar)
    stats = corpus.stats()
    corpus.close()
    if as_json:
        echo_json({"version": version, "corpus": directory, "stats": stats})
    else:
        click.echo(f"Checked out {version} into {directory}: {stats['documents']} documents, {stats['segments']} segments, {stats['annotations']} annotations")


@release.command("load")
@click.argument("version")
@click.option("--table", "tables", multiple=True, help="Only this table (repeatable).")
@json_option
@click.pass_context
def load(ctx: click.Context, version: str, tables: tuple[str, ...], as_json: bool) -> None:
    """Load release VERSION with `datasets` (a DatasetDict keyed by table) and describe it.

    VERSION may also be the path of a release folder. In Python:
    `Releases(Corpus.open(DIR)).load(VERSION)["annotations"]`.

    \b
    Example:
      calque --corpus ./demo-corpus release load 1.0.0 --table annotations --json
      calque release load ~/Downloads/demo-corpus-1.0.0
    """
    import datasets

    if not progress_enabled():
        datasets.disable_progress_bars()
    folder = Path(version)
    if folder.is_dir() and (folder / "manifest.json").is_file():
        from corpus.releases.load import load_directory

        loaded = load_directory(folder, list(tables) or None)
    else:
        loaded = _releases(ctx).load(version, list(tables) or None)
    summary = {name: {"rows": dataset.num_rows, "features": {k: str(v) for k, v in dataset.features.items()}} for name, dataset in loaded.items()}
    if as_json:
        echo_json({"version": version, "tables": summary})
        return
    click.echo(f"Release {version} as datasets.DatasetDict:")
    for name, info in summary.items():
        click.echo(f"  {name}: {info['rows']:,} rows; {', '.join(info['features'])}")


def register(main: click.Group) -> None:
    main.add_command(release)
