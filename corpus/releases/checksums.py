"""sha256 of files, and the SHA256SUMS file (the format `sha256sum -c` reads) that covers a whole release."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

CHUNK = 1 << 20
SUMS_LINE = re.compile(r"^([0-9a-f]{64})  (\S(?:.*\S)?)$")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def release_files(directory: Path) -> tuple[dict[str, Path], list[str]]:
    """Every regular file below directory by relative POSIX path, and anything else found (links, sockets)."""
    files, odd = {}, []
    for path in sorted(directory.rglob("*")):
        relative = path.relative_to(directory).as_posix()
        if path.is_symlink() or not (path.is_file() or path.is_dir()):
            odd.append(relative)
        elif path.is_file():
            files[relative] = path
    return files, odd


def render_sums(digests: dict[str, str]) -> str:
    return "".join(f"{digests[name]}  {name}\n" for name in sorted(digests))


def parse_sums(text: str) -> tuple[dict[str, str], list[str]]:
    """The entries of a SHA256SUMS text, and its problems (malformed lines, duplicates, not canonical)."""
    digests, problems = {}, []
    for number, line in enumerate(text.split("\n")[:-1] if text.endswith("\n") else text.split("\n"), start=1):
        match = SUMS_LINE.match(line)
        if match is None:
            problems.append(f"SHA256SUMS: line {number} is malformed")
            continue
        if match[2] in digests:
            problems.append(f"SHA256SUMS: line {number} repeats {match[2]}")
        digests[match[2]] = match[1]
    if not problems and render_sums(digests) != text:
        problems.append("SHA256SUMS: changed (not the file Calque wrote)")
    return digests, problems
