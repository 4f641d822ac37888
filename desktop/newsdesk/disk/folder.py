"""Many new files written into one open folder: each named by its name in the folder
(openat, renameat: one name to look up instead of the whole path), for a caller that
writes very many (the sync's bulk export) and overlaps the steps with other work.

The steps and guarantees are staged.py's (`stage`, `put_in_place`), taken one at a
time: `OpenFolder.write_temp`, `place_new`, then `flush_open` for the lot.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from newsdesk.disk.atomic import FileChangedError, temp_name
from newsdesk.disk.durable import fsync_dir
from newsdesk.disk.staged import BULK_SYNC, FILES_PER_SYNC, FOLDERS_PER_SYNC

# Names relative to an open folder (openat, renameat: one name to look up, not the whole
# path) where the platform can.
_BY_FD = all(call in os.supports_dir_fd for call in (os.open, os.stat, os.unlink, os.rename))
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
_NEW_FILE = (
    os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
)


class OpenFolder:
    """One folder (created if missing), its files named by their names in it: what a
    bulk export of many files uses instead of a Path per file. The same steps as
    `stage` and `put_in_place`, with the same guarantees; `close` when done.

    `by_fd=False` names files by full path instead of through an open folder (a caller
    that keeps many folders in use at once bounds the descriptors it holds)."""

    def __init__(self, path: str, *, by_fd: bool = True) -> None:
        os.makedirs(path, exist_ok=True)
        self.path = path
        self.fd: int | None = os.open(path, _DIR_FLAGS) if by_fd and _BY_FD else None

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def _at(self, name: str) -> str:
        return name if self.fd is not None else os.path.join(self.path, name)

    def write_temp(self, name: str, data: bytes, *, owner: str = "") -> str:
        """A new temporary file in this folder with `data`, for the file `name`; its name.
        As `stage`: made durable by `flush_open` on Linux, here elsewhere."""
        tmp = temp_name(name, owner)
        fd = os.open(self._at(tmp), _NEW_FILE, 0o644, dir_fd=self.fd)
        try:
            try:
                view = memoryview(data)
                while view:  # os.write may write less than it was given
                    view = view[os.write(fd, view) :]
                if not BULK_SYNC:
                    os.fsync(fd)
            finally:
                os.close(fd)
        except BaseException:
            self.discard(tmp)
            raise
        return tmp

    def place_new(self, tmp: str, name: str) -> None:
        """Rename the temporary file `tmp` to `name`, which must not exist (else
        FileChangedError, as `check_unchanged` with an empty hash); on failure `tmp` is
        removed. The caller made `tmp` durable and makes the rename durable."""
        try:
            try:
                os.stat(self._at(name), dir_fd=self.fd)
            except FileNotFoundError:
                pass
            else:
                raise FileChangedError(
                    f"{os.path.join(self.path, name)} changed on disk meanwhile; "
                    "nothing was written over it"
                )
            os.replace(self._at(tmp), self._at(name), src_dir_fd=self.fd, dst_dir_fd=self.fd)
        except OSError:
            self.discard(tmp)
            raise

    def discard(self, name: str) -> None:
        with contextlib.suppress(OSError):
            os.unlink(self._at(name), dir_fd=self.fd)

    def fsync(self, name: str | None = None) -> None:
        """Flush a file of this folder, or (None) the folder's own entries."""
        if name is None and self.fd is not None:
            os.fsync(self.fd)
        elif name is None:
            fsync_dir(Path(self.path))  # knows the platforms that cannot
        else:
            fd = os.open(self._at(name), os.O_RDONLY, dir_fd=self.fd)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def flush_open(staged: list[tuple[OpenFolder, str]], folders: set[OpenFolder]) -> None:
    """Make the `staged` temporary files (folder, name) durable, and the renames done in
    `folders` (OSError if that fails): as put_in_place does, one os.sync() on Linux
    unless there are only a few of them; elsewhere staged files were fsync'ed when
    written (`OpenFolder.write_temp`)."""
    if BULK_SYNC and (len(staged) > FILES_PER_SYNC or len(folders) > FOLDERS_PER_SYNC):
        os.sync()
        return
    if BULK_SYNC:
        for folder, tmp in staged:
            folder.fsync(tmp)
    for folder in folders:
        folder.fsync()
