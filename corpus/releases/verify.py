"""`verify_release`: every byte of a release against its checksums; optionally its content hash too.

SHA256SUMS covers every file (the manifest included) and must be exactly the text Calque wrote;
manifest.json must agree with it. Any changed, missing or extra file is named.
"""
from __future__ import annotations

from pathlib import Path

from corpus.releases.checksums import parse_sums, release_files, sha256_file
from corpus.releases.contenthash import parquet_table_hash, release_hash
from corpus.releases.errors import ReleaseError, VerificationError
from corpus.releases.layout import CHECKSUMS, MANIFEST, TEMP_PREFIX, read_manifest


def verify_directory(directory: Path, content: bool = False, expect_version: str | None = None) -> dict:
    """A report {version, ok, problems, files, content_hash}; problems name the file at fault.

    Inside a corpus the folder must be named after its version (expect_version); a copy may be named anyhow."""
    problems: list[str] = []
    if Path(directory).resolve().name.startswith(TEMP_PREFIX):
        # A build publishes by renaming its .tmp-* folder: one that still has that name never finished.
        problems.append(f"{Path(directory).resolve().name}: an unfinished build (release create stopped before publishing it), not a release")
    files, odd = release_files(directory)
    problems += [f"{name}: not a regular file" for name in odd]
    sums: dict[str, str] = {}
    if CHECKSUMS in files:
        sums, sums_problems = parse_sums(files[CHECKSUMS].read_bytes().decode("utf-8", "replace"))
        problems += sums_problems
    else:
        problems.append(f"{CHECKSUMS}: missing file")
    manifest = None
    try:
        manifest = read_manifest(directory)
    except ReleaseError as error:
        problems.append(f"{MANIFEST}: {str(error).split(': ', 1)[-1]}")
    listed = dict(sums)
    if manifest is not None:
        manifest_files = {name: info.get("sha256") for name, info in (manifest.get("files") or {}).items()}
        for name, digest in manifest_files.items():
            if name in sums and sums[name] != digest:
                problems.append(f"{name}: manifest.json and SHA256SUMS disagree")
            listed.setdefault(name, digest)
        for name in set(sums) - set(manifest_files) - {MANIFEST}:
            problems.append(f"{name}: in SHA256SUMS but not in manifest.json")
        if expect_version is not None and manifest.get("version") != expect_version:
            problems.append(f"{MANIFEST}: names version {manifest.get('version')!r}, folder is {expect_version!r}")
    listed.setdefault(MANIFEST, None)
    for name in sorted(listed):
        if name not in files:
            problems.append(f"{name}: missing file")
        elif listed[name] is not None and sha256_file(files[name]) != listed[name]:
            problems.append(f"{name}: changed (sha256 differs)")
    for name in sorted(set(files) - set(listed) - {CHECKSUMS}):
        problems.append(f"{name}: extra file")
    if content and manifest is not None and not problems:
        problems += _content_problems(directory, manifest)
    return {
        "version": manifest.get("version") if manifest else directory.name,
        "path": str(directory),
        "ok": not problems,
        "problems": problems,
        "files": len(files),
        "content_hash": manifest.get("content_hash") if manifest else None,
        "content_checked": content and not problems,
    }


def _content_problems(directory: Path, manifest: dict) -> list[str]:
    problems, hashes = [], {}
    for name, info in manifest["tables"].items():
        digest, rows = parquet_table_hash(name, directory / info["file"])
        hashes[name] = digest
        if digest != info["content_hash"] or rows != info["rows"]:
            problems.append(f"{info['file']}: content hash differs from the manifest")
    if not problems and release_hash(hashes) != manifest["content_hash"]:
        problems.append(f"{MANIFEST}: release content hash differs from its tables")
    return problems


def require_verified(directory: Path, expect_version: str | None = None) -> dict:
    report = verify_directory(directory, expect_version=expect_version)
    if not report["ok"]:
        raise VerificationError(report["version"] or directory.name, report["problems"])
    return report
