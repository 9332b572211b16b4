"""What the toolbox's caches (pdf_cache, check_cache) share: the machine's signing key, a fingerprint of the
code and libraries an entry depends on, signatures, and files written whole or not at all.

The key is kept outside every project ($XDG_CACHE_HOME or ~/.cache, living-lab-toolbox/cache-key, made on first
use), so that no pull request can bring cache entries the build would trust: a cache folder committed to the
repository holds entries signed with another key, which are ignored.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import tempfile
from importlib.metadata import version
from pathlib import Path


def write_atomically(path: Path, content: bytes) -> None:
    """Write `path` whole or not at all (a reader — another build, the search indexer — never sees half)."""
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as file:
        file.write(content)
    os.replace(file.name, path)


def machine_key() -> bytes:
    """The key that signs this machine's cache entries."""
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "living-lab-toolbox"
    path = folder / "cache-key"
    try:
        key = path.read_bytes()
        if len(key) >= 32:
            return key
    except OSError:
        pass
    folder.mkdir(parents=True, exist_ok=True)
    write_atomically(path, secrets.token_bytes(32))
    return path.read_bytes()


def sign(key: bytes, content: bytes) -> str:
    return hmac.new(key, content, hashlib.sha256).hexdigest()


def signed(key: bytes, content: bytes, signature: str) -> bool:
    """Whether `signature` is this key's signature of `content`."""
    return hmac.compare_digest(sign(key, content), signature)


def code_fingerprint(modules: tuple[str, ...], packages: tuple[str, ...]) -> str:
    """A hash of the pipeline's `modules` (file names in scripts/pipeline/) and the versions of `packages`:
    what an entry's result depends on besides its inputs."""
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in modules:
        digest.update((here / name).read_bytes())
    for package in packages:
        digest.update(f"{package}={version(package)}".encode())
    return digest.hexdigest()
