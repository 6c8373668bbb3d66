"""Blob contents through one long-lived `git cat-file --batch` process."""

from __future__ import annotations

import queue
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple

from keystow.git.run import git_command, git_env

MISSING, TOO_LARGE, CORRUPT = "missing", "too-large", "corrupt"
BINARY = "binary"  # set by the scanner, not by git: the contents are not text


class ReadProblem(NamedTuple):
    """Why a blob's contents were not scanned: MISSING (not in the repository), TOO_LARGE (`size`
    bytes, above the limit), CORRUPT (`detail` is what git said) or BINARY."""

    kind: str
    size: int = 0
    detail: str = ""

    @property
    def permanent(self) -> bool:
        """The same blob gives the same answer next time; a missing or corrupt object may be
        fetched or repaired, so it is worth asking again."""
        return self.kind in (TOO_LARGE, BINARY)

    def describe(self) -> str:
        return self.detail or (f"{self.kind} ({self.size} bytes)" if self.kind == TOO_LARGE else self.kind)


Answer = tuple[str, bytes | None, ReadProblem | None]


class CatFile:
    """Blob contents through ONE long-lived `git cat-file --batch` process.

    A writer thread feeds object ids while the caller reads answers, so neither side blocks and
    git's output is consumed as it is produced. The ids may come from a generator (the history
    scan feeds ids while its `git log` pass is still running, so both git processes work at
    once); the generator runs in the writer thread and its exceptions reach the caller. Blobs
    larger than `max_size` are drained in chunks, never held. If git dies on a corrupt object,
    that object is reported and a fresh process continues with the rest.
    """

    def __init__(self, repo: Path, max_size: int) -> None:
        self.repo = repo
        self.max_size = max_size

    def read(self, ids: Iterable[str]) -> Iterator[Answer]:
        """(id, data, None) or (id, None, problem) per id, in order."""
        sent: queue.SimpleQueue = queue.SimpleQueue()
        feeder = _Feeder(ids, sent)
        with tempfile.TemporaryFile() as errors:
            process = subprocess.Popen(git_command("cat-file", "--batch", "--buffer"), cwd=self.repo,
                                       env=git_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       stderr=errors, bufsize=1 << 16)
            assert process.stdout is not None  # stdout=PIPE
            writer = threading.Thread(target=feeder.run, args=(process.stdin,), daemon=True)
            writer.start()
            try:
                while (object_id := sent.get()) is not None:
                    answer = self._answer(process.stdout, object_id)
                    if answer is None:  # git died: name the object, carry on with a new process
                        errors.seek(0)
                        said = _last_line(errors.read())
                        detail = said if object_id in said else "corrupt object (git cat-file stopped)"
                        yield object_id, None, ReadProblem(CORRUPT, detail=detail)
                        rest = list(iter(sent.get, None))
                        if rest:
                            yield from CatFile(self.repo, self.max_size).read(rest)
                        break
                    yield answer
            finally:
                feeder.stop.set()
                process.kill()
                process.wait()
                process.stdout.close()
                writer.join()
        if feeder.error is not None:
            raise feeder.error

    def _answer(self, stdout, object_id: str) -> Answer | None:
        header = stdout.readline()
        if not header:
            return None
        fields = header.split()
        if len(fields) != 3:
            return object_id, None, ReadProblem(MISSING)
        size = int(fields[2])
        if size > self.max_size:
            _drain(stdout, size + 1)
            return object_id, None, ReadProblem(TOO_LARGE, size)
        data = stdout.read(size)
        if len(data) != size or stdout.read(1) != b"\n":  # read apart: slicing it off copied every blob
            return None
        return object_id, data, None


class _Feeder:
    """Runs the id source in the writer thread: every id goes to `sent` (so the reader knows
    what comes next) and, while the pipe is open, to git. After a broken pipe the source is
    still drained, so a caller's bookkeeping inside it completes."""

    def __init__(self, ids: Iterable[str], sent: queue.SimpleQueue) -> None:
        self.ids = ids
        self.sent = sent
        self.stop = threading.Event()
        self.error: BaseException | None = None

    def run(self, stdin) -> None:
        open_pipe = True
        try:
            for count, object_id in enumerate(self.ids, 1):
                if self.stop.is_set():
                    break
                self.sent.put(object_id)
                if open_pipe:
                    open_pipe = _write(stdin, (object_id + "\n").encode(), flush=count % 64 == 0)
        except BaseException as exc:  # reported to the reader's caller
            self.error = exc
        finally:
            self.sent.put(None)
            try:
                stdin.close()
            except (BrokenPipeError, OSError, ValueError):
                pass


def _write(stdin, data: bytes, flush: bool) -> bool:
    try:
        stdin.write(data)
        if flush:
            stdin.flush()
        return True
    except (BrokenPipeError, OSError, ValueError):
        return False


def _drain(stream, count: int) -> None:
    while count > 0:
        chunk = stream.read(min(count, 1 << 20))
        if not chunk:
            return
        count -= len(chunk)


def _last_line(raw: bytes) -> str:
    lines = raw.decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else ""


