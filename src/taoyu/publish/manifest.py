"""A signed manifest of an output folder: ``taoyu keygen``, ``taoyu sign`` and ``taoyu verify``.

``sign`` writes two files into the folder:

* ``manifest.intoto.json``: an in-toto Statement v1. Its subjects are every file of the folder
  (data, ledger, rejects, card, report, recipe, run.json, stats.json, logs) with its SHA-256, except
  the two manifest files and taoyu's bookkeeping folder ``_taoyu/`` (resume markers, not data).
  A folder with symbolic links is refused. Its predicate is a SLSA provenance v1 record built from
  ``run.json``: taoyu's version, the recipe's digest, every input file and every model file and
  opt-out list the steps read, with their digests, and the executor.
* ``manifest.sig.json``: a DSSE envelope whose payload is exactly the bytes of
  ``manifest.intoto.json``, signed with Ed25519 over DSSE's pre-authentication encoding.

``verify`` checks the signature against a public key, checks that the statement beside it is the
signed one, then rehashes the folder and names every file that changed, went missing or appeared
(outside ``_taoyu/``); a symbolic link or special file is reported, never followed.
Files are hashed on a thread pool (hashlib releases the GIL), each streamed, so memory stays
flat and the disk, not Python, sets the pace (about 1.3 GB/s per core: bench/hashing.py).

The format is the one in-toto and Sigstore tooling reads (``payloadType``
``application/vnd.in-toto+json``), so the manifest can be checked without taoyu too.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from taoyu.digests import sha256_file
from taoyu.output import replaced_atomically

MANIFEST = "manifest.intoto.json"
SIGNATURE = "manifest.sig.json"
INTERNAL = "_taoyu"
STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PAYLOAD_TYPE = "application/vnd.in-toto+json"
PROVENANCE_TYPE = "https://slsa.dev/provenance/v1"
BUILD_TYPE = "urn:taoyu:run:v1"


class ManifestError(ValueError):
    """A manifest that cannot be made or checked, with the file named."""


def hash_files(paths: Iterable[Path], workers: int | None = None) -> list[str]:
    """SHA-256 of each path, in order, hashed on ``workers`` threads (default: one per core)."""
    paths = list(paths)
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(paths) < 2:
        return [sha256_file(p) for p in paths]
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(sha256_file, paths))


def subject_files(root: Path) -> list[str]:
    """The files a manifest covers, as sorted POSIX paths relative to ``root``."""
    return walk(root)[0]


def walk(root: Path) -> tuple[list[str], list[str]]:
    """(regular files, everything else) under ``root``, as sorted relative POSIX paths, without
    following symbolic links: a link, a pipe or a device is never hashed through (it could point
    anywhere, or never end), it is reported. ``_taoyu/`` at the top and the manifest files are left
    out."""
    files: list[str] = []
    special: list[str] = []
    stack = [root]
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                rel = Path(entry.path).relative_to(root).as_posix()
                # follow_symlinks=False: a link is neither a folder nor a file here, so it is special.
                if entry.is_dir(follow_symlinks=False):
                    if rel != INTERNAL:
                        stack.append(Path(entry.path))
                elif entry.is_file(follow_symlinks=False):
                    if rel not in (MANIFEST, SIGNATURE):
                        files.append(rel)
                else:
                    special.append(rel)
    return sorted(files), sorted(special)


# Keys ---------------------------------------------------------------------------------------------


def keygen(path: Path, overwrite: bool = False) -> tuple[Path, Path]:
    """Write a new Ed25519 key pair: ``path`` (private, PKCS#8 PEM, readable by the owner only) and
    ``path.pub`` (SubjectPublicKeyInfo PEM, to hand to whoever verifies)."""
    public_path = path.with_name(path.name + ".pub")
    for p in (path, public_path):
        if p.exists() and not overwrite:
            raise ManifestError(f"{p} exists; choose another name or pass --overwrite")
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(private)
    os.chmod(path, 0o600)
    public_path.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return path, public_path


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """The Ed25519 private key in a PEM file, or an error naming the file."""
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise ManifestError(f"{path}: not a readable unencrypted PEM private key ({exc})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ManifestError(f"{path}: not an Ed25519 key (taoyu keygen makes one)")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    """The Ed25519 public key in a PEM file, or an error naming the file."""
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except (OSError, ValueError, TypeError) as exc:
        raise ManifestError(f"{path}: not a readable PEM public key ({exc})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise ManifestError(f"{path}: not an Ed25519 public key")
    return key


def key_id(public: Ed25519PublicKey) -> str:
    """The SHA-256 of the raw public key: names the key in the envelope without revealing more."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def pae(payload_type: str, payload: bytes) -> bytes:
    """DSSE's pre-authentication encoding: what is signed, so a payload cannot be passed off as
    another type."""
    kind = payload_type.encode()
    return b"DSSEv1 %d %s %d %s" % (len(kind), kind, len(payload), payload)


# Sign and verify ----------------------------------------------------------------------------------


def build_statement(root: Path, workers: int | None = None) -> dict[str, Any]:
    """The in-toto statement for the folder as it is now; a folder holding symbolic links or other
    non-regular files is refused (what they point to is not the folder's to vouch for)."""
    names, special = walk(root)
    if special:
        raise ManifestError(
            f"{root} holds {len(special)} symbolic link(s) or special file(s), e.g. {root / special[0]}: "
            "a signed folder holds regular files only (copy it with `cp -rL` first)"
        )
    digests = hash_files((root / n for n in names), workers)
    return {
        "_type": STATEMENT_TYPE,
        "subject": [{"name": n, "digest": {"sha256": d}} for n, d in zip(names, digests, strict=True)],
        "predicateType": PROVENANCE_TYPE,
        "predicate": provenance(root),
    }


def provenance(root: Path) -> dict[str, Any]:
    """A SLSA provenance v1 predicate from the run's own records (``run.json``, ``recipe.yaml``)."""
    run_path = root / "run.json"
    if not run_path.exists():
        raise ManifestError(f"{root} is not the output folder of a finished taoyu run (no run.json)")
    try:
        run = orjson.loads(run_path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise ManifestError(f"{run_path}: not valid JSON ({exc})") from None
    dependencies = [
        {"name": "input", "uri": _file_uri(i["path"]), "digest": {"sha256": i["sha256"]}}
        for i in run.get("inputs", [])
        if i.get("sha256")
    ]
    dependencies += [
        {
            "name": f"{a['step']}:{a['role']}",
            "uri": _file_uri(a["path"]),
            "digest": {"sha256": a["sha256"]},
        }
        for a in run.get("artifacts", [])
    ]
    versions = run.get("versions", {})
    if "taoyu" in versions:
        dependencies.append({"uri": f"pkg:pypi/taoyu@{versions['taoyu']}"})
    return {
        "buildDefinition": {
            "buildType": BUILD_TYPE,
            "externalParameters": {
                "recipe": {
                    "name": run.get("recipe"),
                    "file": "recipe.yaml",
                    "digest": {"sha256": run.get("recipe_digest")},
                },
                "inputs": [i["path"] for i in run.get("inputs", [])],
            },
            "internalParameters": {
                "executor": run.get("executor"),
                "workers": run.get("workers"),
                "tasks": run.get("tasks"),
            },
            "resolvedDependencies": dependencies,
        },
        "runDetails": {
            "builder": {"id": f"urn:taoyu:executor:{run.get('executor', 'local')}", "version": versions},
            "metadata": {"startedOn": run.get("started"), "finishedOn": run.get("finished")},
        },
    }


def _file_uri(path: str) -> str:
    return path if "://" in path else "file:" + Path(path).as_posix()


def sign(root: Path, key_path: Path, workers: int | None = None) -> dict[str, Any]:
    """Hash the folder, write the statement and its DSSE envelope; returns the statement."""
    key = load_private_key(key_path)
    statement = build_statement(root, workers)
    payload = orjson.dumps(statement, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
    signature = key.sign(pae(PAYLOAD_TYPE, payload))
    envelope = {
        "payloadType": PAYLOAD_TYPE,
        "payload": base64.b64encode(payload).decode(),
        "signatures": [{"keyid": key_id(key.public_key()), "sig": base64.b64encode(signature).decode()}],
    }
    _write_atomic(root / MANIFEST, payload)
    _write_atomic(root / SIGNATURE, orjson.dumps(envelope, option=orjson.OPT_INDENT_2))
    return statement


def _write_atomic(path: Path, data: bytes) -> None:
    with replaced_atomically(path) as tmp:
        tmp.write_bytes(data)


@dataclass
class Verification:
    """What ``verify`` found: the files that differ from the signed manifest, by kind."""

    files: int = 0
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.changed or self.missing or self.extra)

    def lines(self) -> list[str]:
        """One line per problem, for people: ``changed: data/part-00000.parquet``."""
        return (
            [f"changed: {n}" for n in self.changed]
            + [f"missing: {n}" for n in self.missing]
            + [f"extra: {n} (not in the manifest; written after signing?)" for n in self.extra]
        )


def verify(root: Path, pub_path: Path, workers: int | None = None) -> Verification:
    """Check the envelope's signature with the public key, then every file against the statement.

    A bad signature, a wrong key or a statement that is not the signed one raises
    :class:`ManifestError`; differing files are returned, not raised, so all of them are named.
    """
    public = load_public_key(pub_path)
    statement = _signed_statement(root, public, pub_path)
    expected: dict[str, str] = {}
    for subject in statement.get("subject", []):
        name, digest = subject.get("name"), subject.get("digest", {}).get("sha256")
        if not isinstance(name, str) or not isinstance(digest, str):
            raise ManifestError(f"{root / MANIFEST}: a subject without a name or a sha256 digest")
        expected[name] = digest
    present, special = walk(root)
    common = [n for n in present if n in expected]
    digests = hash_files((root / n for n in common), workers)
    result = Verification(files=len(expected))
    result.changed = [n for n, d in zip(common, digests, strict=True) if d != expected[n]]
    result.missing = sorted(set(expected) - set(present))
    result.extra = [n for n in present if n not in expected]
    # A link or a pipe where a signed file was is a change; anywhere else it is an addition.
    result.changed = sorted(result.changed + [n for n in special if n in expected])
    result.missing = [n for n in result.missing if n not in special]
    result.extra = sorted(result.extra + [n for n in special if n not in expected])
    return result


def _signed_statement(root: Path, public: Ed25519PublicKey, pub_path: Path) -> dict[str, Any]:
    envelope_path, manifest_path = root / SIGNATURE, root / MANIFEST
    for p in (manifest_path, envelope_path):
        if not p.exists():
            raise ManifestError(f"{p} is missing: the folder was not signed (taoyu sign) or it was removed")
    try:
        envelope = orjson.loads(envelope_path.read_bytes())
        payload = base64.b64decode(envelope["payload"], validate=True)
        signatures = envelope["signatures"]
        payload_type = envelope["payloadType"]
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ManifestError(f"{envelope_path}: not a DSSE envelope ({exc})") from None
    if payload_type != PAYLOAD_TYPE:
        raise ManifestError(f"{envelope_path}: payload type {payload_type!r}, expected {PAYLOAD_TYPE!r}")
    wanted = key_id(public)
    good = False
    for entry in signatures if isinstance(signatures, list) else []:
        try:
            sig = base64.b64decode(entry["sig"], validate=True)
            public.verify(sig, pae(payload_type, payload))
            good = True
            break
        except (InvalidSignature, KeyError, TypeError, ValueError):
            continue
    if not good:
        ids = (
            [e.get("keyid") for e in signatures if isinstance(e, dict)]
            if isinstance(signatures, list)
            else []
        )
        hint = "signed with another key" if ids and wanted not in ids else "the envelope was altered"
        raise ManifestError(
            f"{envelope_path}: the signature does not verify with {pub_path} (key {wanted[:16]}…): {hint}"
        )
    if manifest_path.read_bytes() != payload:
        raise ManifestError(f"{manifest_path} is not the signed statement: it was edited after signing")
    try:
        statement = orjson.loads(payload)
    except orjson.JSONDecodeError as exc:
        raise ManifestError(f"{manifest_path}: not valid JSON ({exc})") from None
    if not isinstance(statement, dict) or statement.get("_type") != STATEMENT_TYPE:
        raise ManifestError(f"{manifest_path}: not an in-toto Statement v1")
    return statement
