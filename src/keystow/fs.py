"""Every file keystow writes, and every file a repository names for it to read, goes through here.

keystow runs on repositories it must not trust, so a write never goes *through* a symbolic link
(a committed `.keystow-refs.toml -> ~/.bashrc` is replaced by a plain file, its target untouched),
lands first in a temporary file with an unpredictable name beside the target and is renamed over
it, and, when the caller names a confining directory (the repository, the user cache), refuses a
target whose real parent directory lies outside it. Reads of paths a repository chose are
confined the same way and bounded in size.

Also here: the user cache directory, owner-only directories, and the one digest that keys every
cache.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from pathlib import Path

from keystow.cache_location import user_cache_directory
from keystow.errors import FatalError

# A repository-chosen file keystow reads (config, extra rules, baseline, plan, journal) is small;
# anything bigger is a mistake or an attack (`extra_rules = ["/dev/zero"]`).
READ_LIMIT = 64 << 20


class UnsafePath(FatalError):
    """A path that would make keystow reach outside where it may write or read."""


def cache_dir() -> Path:
    """$KEYSTOW_CACHE_DIR, else the platform's user cache directory.

    Linux and macOS are computed here (XDG_CACHE_HOME or ~/.cache; ~/Library/Caches): importing
    platformdirs costs the hook ~20 ms. Other platforms ask platformdirs.
    """
    location = user_cache_directory()
    if location is not None:
        return Path(location)
    # late: the hook imports this module; platformdirs is on its no-import list
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("keystow"))


def digest(*parts: str | bytes) -> str:
    """sha256 over NUL-separated parts (no two parts can run together): every cache's key."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


def private_directory(path: Path) -> Path:
    """`path` and its missing parents, created owner-only (0700)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def is_within(path: Path, root: Path) -> bool:
    """Whether `path`, with every link resolved, is `root` or lies below it."""
    real, real_root = os.path.realpath(path), os.path.realpath(root)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def confine(path: Path, root: Path, what: str) -> Path:
    """`path` (relative paths are taken from `root`) if it stays inside `root`, else UnsafePath."""
    full = path if path.is_absolute() else root / path
    if not is_within(full.parent, root) or (full.is_symlink() and not is_within(full, root)):
        raise UnsafePath(f"{what} {path} is outside {root}: keystow only reads and writes inside it")
    return full


def write_atomic(path: Path, data: bytes, *, within: Path | None = None, mode: int | None = None,
                 durable: bool = False) -> None:
    """Replace `path` with `data`: the old content or the new, never half, never through a link.

    `within`: refuse (UnsafePath) when the real directory of `path` is outside it. `mode`: the
    new file's permission bits (default: those of the regular file it replaces, else 0644).
    `durable`: fsync the file and the directory (journals and rewritten sources; caches and
    reports do not need it).
    """
    if within is not None and not is_within(path.parent, within):
        # Only the directory matters: a link at `path` itself is replaced, never followed.
        raise UnsafePath(f"target {path} is outside {within}: keystow only reads and writes inside it")

    old = _regular_file_stat(path)
    if mode is None:
        mode = stat.S_IMODE(old.st_mode) if old else 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".keystow-tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        _keep_owner(tmp, old)
        os.replace(tmp, path)  # replaces a symbolic link itself, never its target
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if durable:
        fsync_directory(path.parent)


def write_cache(path: Path, data: bytes) -> bool:
    """A cache file in an owner-only directory; a cache that cannot be written only costs a
    recompute next time, so failure is reported as False, not raised."""
    try:
        private_directory(path.parent)
        write_atomic(path, data, mode=0o600)
    except OSError:
        return False
    return True


def read_confined(path: Path, root: Path, what: str, limit: int = READ_LIMIT) -> bytes:
    """The bytes of a file a repository named, if it is a regular file inside `root` and at most
    `limit` bytes; otherwise UnsafePath or FatalError with one line naming it."""
    return read_bounded(confine(path, root, what), what, limit)


def read_bounded(path: Path, what: str, limit: int = READ_LIMIT, follow: bool = False) -> bytes:
    """The bytes of a regular file (never a device or FIFO; never through a final symbolic link
    unless `follow`: a path the user named) of at most `limit` bytes. FileNotFoundError passes
    through for callers that allow a miss."""
    nofollow = 0 if follow else getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, os.O_RDONLY | nofollow | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise
    except OSError as exc:
        if os.path.islink(path):
            raise UnsafePath(f"{what} {path} is a symbolic link; keystow does not read through it") from None
        raise FatalError(f"{what} {path}: cannot read: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise UnsafePath(f"{what} {path} is not a regular file")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise FatalError(f"{what} {path} is larger than {limit >> 20} MiB")
    return data


def ignored_state_directory(root: Path) -> Path:
    """`<root>/.keystow/`, created owner-only, holding a `.gitignore` of `*`: plans, journals and
    other run state never end up in a commit (`git add -A`)."""
    directory = confine(root / ".keystow", root, "state directory")
    if directory.is_symlink():
        raise UnsafePath(f"{directory} is a symbolic link; keystow keeps its state only in a plain directory")
    directory.mkdir(mode=0o700, exist_ok=True)
    ignore = directory / ".gitignore"
    if _regular_file_stat(ignore) is None:
        write_atomic(ignore, b"*\n", within=root)
    return directory


def repository_key(root: Path) -> bytes:
    """A random per-user, per-repository secret kept in the user cache directory (keyed by the
    repository's real path). Whatever keystow later trusts from inside a repository (the blob
    cache, a migration journal) is authenticated with it, so a file shipped in a tarball or
    committed by an attacker, who cannot know the key, is never trusted."""
    keys = private_directory(cache_dir() / "keys")
    path = keys / f"{digest(os.path.realpath(root))[:32]}.key"
    if not os.path.lexists(path):
        import tempfile

        fd, tmp = tempfile.mkstemp(dir=keys, prefix=".key.")
        with os.fdopen(fd, "wb") as handle:
            handle.write(os.urandom(32))
        try:
            os.link(tmp, path)  # atomic and exclusive: two first runs agree on one key
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    key = read_bounded(path, "repository key", 1024)
    if len(key) != 32:  # damaged (a truncated write): a new key; what the old one signed is a cache miss
        key = os.urandom(32)
        write_atomic(path, key, mode=0o600)
    return key


def authenticate(key: bytes, data: bytes) -> str:
    import hmac  # late: only the history cache and journals are authenticated; the hook is neither

    return hmac.new(key, data, hashlib.sha256).hexdigest()


def authentic(key: bytes, data: bytes, mac: object) -> bool:
    import hmac  # late: as in authenticate

    return isinstance(mac, str) and hmac.compare_digest(authenticate(key, data), mac)


def fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _regular_file_stat(path: Path) -> os.stat_result | None:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    return info if stat.S_ISREG(info.st_mode) else None


def _keep_owner(tmp: str, old: os.stat_result | None) -> None:
    if old is not None and (old.st_uid, old.st_gid) != (os.getuid(), os.getgid()):
        try:
            os.chown(tmp, old.st_uid, old.st_gid)
        except OSError:
            pass  # not permitted: the file keeps its content and mode, owned by us
