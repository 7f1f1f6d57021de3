"""SHA-256 digests of files and folders, streamed: what run.json, the card and the manifest cite.

A folder (a robots.txt collection, say) gets one digest over its sorted listing of relative paths
and file digests, so provenance names a million-file folder in one line and still changes when any
file in it does.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def sha256_file(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a file, streamed (``hashlib.file_digest`` reads it in pieces: flat memory)."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def tree_digest(path: Path) -> tuple[str, int]:
    """(SHA-256, bytes) of a file, or of a folder as the digest of its lines ``relpath\\tsha256``
    (files sorted by path, symbolic links followed) and the total size of its files."""
    if not path.is_dir():
        return sha256_file(path), path.stat().st_size
    listing = hashlib.sha256()
    total = 0
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        listing.update(f"{file.relative_to(path).as_posix()}\t{sha256_file(file)}\n".encode())
        total += file.stat().st_size
    return listing.hexdigest(), total
