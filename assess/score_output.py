"""Where ``assess score`` puts what it scored: provenance, and the folder of profiles.

A folder written by ``assess score --out DIR`` holds one ``<id>.profile.yaml`` per
candidate (mode 0600) and a manifest, :data:`MANIFEST_NAME`, that is written twice:
first, before any profile, marked ``complete: false`` with the files the run will
write; last, after every profile is written and synced to disk, marked
``complete: true``. So a run that was killed, or failed, leaves a manifest that says
so, and :func:`folder_warnings` (used by the commands that read folders of
profiles) reports it, together with profiles in the folder that the last run did not
write (left by an earlier run).

Existing profiles are replaced only with ``--overwrite``; the check runs before
anything is written. When a profile cannot be written the others are still
written, and the error says exactly which were and which were not (the manifest,
marked incomplete, lists the written ones).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import itertools
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assess import __version__
from assess.errors import AssessError
from assess.fileio import (
    PRIVATE_MODE,
    TEMP_SUFFIX,
    RepfitError,
    atomic_write,
    clean_stale_temporaries,
    create_folder,
    dump_yaml,
    load_yaml,
)
from assess.model import Norms, Questionnaire, ScoreProvenance

if TYPE_CHECKING:
    from pydantic import BaseModel

    from assess.irt_params import IrtParameters

MANIFEST_NAME = "assess-score.manifest.yaml"
"""The manifest of a folder written by ``assess score --out``."""

MANIFEST_SCHEMA = "repfit.score-manifest/1"
"""Format of the manifest."""

WRITE_THREADS = 2
"""Profile files written at the same time (threads; the GIL is released while writing).
Two, not more: now that the files of a batch are written while the next batch is made,
every extra thread only hands the GIL around (``strace -c`` of 5,000 profiles: 196,000
futex calls with 16 threads, 1,100 with 2), which on this 2-core machine was system time."""

WRITE_CHUNK = 64
"""Files one thread writes in a row (one task each, so the pool's overhead is per chunk)."""

_OPEN_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


def _sha256_of(model: BaseModel) -> str:
    text = json.dumps(model.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def score_provenance(
    q: Questionnaire, norms: Norms | None, irt: IrtParameters | None
) -> ScoreProvenance:
    """What every JSON and YAML output of ``assess score`` records about its inputs.

    ``norms`` are the norms used (the ``--norms`` file's or the questionnaire's own).
    """
    return ScoreProvenance(
        repfit_version=__version__,
        questionnaire_sha256=q.ref().sha256,
        norms_sha256=_sha256_of(norms) if norms is not None else None,
        irt_sha256=_sha256_of(irt) if irt is not None else None,
    )


def plan_profile_files(candidate_ids: Sequence[str], out_dir: Path) -> list[str]:
    """The file name of each candidate's profile; refuses two ids that would share one.

    File systems that ignore letter case would save ``C-1`` and ``c-1`` in one file,
    so names are compared case-folded (one pass, a dictionary: O(n)).
    """
    from assess.profiles import profile_filename

    names = [profile_filename(candidate_id) for candidate_id in candidate_ids]
    seen: dict[str, int] = {}
    for index, name in enumerate(names):
        first = seen.setdefault(name.casefold(), index)
        if first != index:
            raise AssessError(
                f"candidates '{candidate_ids[first]}' and '{candidate_ids[index]}' would both "
                f"be saved as {out_dir / name}; give them ids that differ by more than "
                "letter case."
            )
    return names


def check_folder(out_dir: Path, names: Iterable[str], overwrite: bool) -> None:
    """Refuse a file where the folder should be, a target that leads outside the folder
    (a planted symlink) and, without ``overwrite``, profiles that already exist."""
    if out_dir.exists() and not out_dir.is_dir():
        raise AssessError(f"{out_dir}: --out must be a folder, but a file of that name exists.")
    if not out_dir.exists():
        return
    root = out_dir.resolve()
    existing: list[str] = []
    for name in names:
        target = out_dir / name
        if target.is_symlink() or target.resolve().parent != root:
            raise AssessError(f"{target}: refusing to write outside {out_dir}.")
        if target.exists():
            existing.append(name)
    if existing and not overwrite:
        more = f" and {len(existing) - 1} more" if len(existing) > 1 else ""
        raise AssessError(
            f"{out_dir}: {len(existing)} of the profiles already exist ({existing[0]}{more}); "
            "nothing was written. Give --overwrite to replace them, or choose another folder."
        )


_Call = tuple[list[Future[list[tuple[str, str | None]]]], Callable[[int], None] | None, int]
"""One :meth:`FolderWriter.write` in flight: its chunks' futures, its ``advance`` and size."""


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass
class FolderWriter:
    """Writes one run's profiles into ``out_dir`` with the manifest around them.

    Use :meth:`start`, then :meth:`write` for each batch of ``(name, text)`` files,
    then :meth:`finish`. ``extra`` files (the HTML reports) are written beside.
    """

    out_dir: Path
    names: list[str]
    provenance: ScoreProvenance
    written: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    started: str = field(default_factory=_now)
    _counter: Iterator[int] = field(default_factory=itertools.count)
    _pool: ThreadPoolExecutor | None = None
    _pending: list[_Call] = field(default_factory=list)

    @property
    def manifest(self) -> Path:
        """The manifest's path."""
        return self.out_dir / MANIFEST_NAME

    def _write_manifest(self, complete: bool, files: list[str]) -> None:
        data: dict[str, Any] = {
            "schema": MANIFEST_SCHEMA,
            "complete": complete,
            "started": self.started,
            "finished": _now() if complete else None,
            "profiles": len(files),
            "provenance": self.provenance.model_dump(mode="json"),
            "files": files,
        }
        atomic_write(self.manifest, dump_yaml(data), private=True)

    def start(self) -> None:
        """Clean temporary files left by killed writers; mark the folder as being written."""
        try:
            create_folder(self.out_dir, named=True)
        except OSError as exc:
            raise AssessError(
                f"{self.out_dir}: cannot create the folder: {exc.strerror}."
            ) from None
        clean_stale_temporaries(self.out_dir)
        self._write_manifest(False, self.names)

    def write(
        self, files: Sequence[tuple[str, str]], advance: Callable[[int], None] | None = None
    ) -> None:
        """Write ``files`` (name, text) in threads; failures are collected, not raised.

        The files are handed to the threads and this returns once the files of the call
        before have been written, so the caller makes the next batch while this one is
        written (at most two batches in flight); :meth:`finish` waits for the rest.
        ``advance(n)`` is called with the number of files once they are written."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=WRITE_THREADS)
        futures = [
            self._pool.submit(self._write_chunk, files[start : start + WRITE_CHUNK])
            for start in range(0, len(files), WRITE_CHUNK)
        ]
        earlier, self._pending = self._pending, [(futures, advance, len(files))]
        self._collect(earlier)

    def _collect(self, calls: list[_Call]) -> None:
        for futures, advance, count in calls:
            for future in futures:
                for name, error in future.result():
                    if error is None:
                        if name.endswith(".profile.yaml"):
                            self.written.append(name)
                    else:
                        self.failed.append((name, error))
            if advance is not None:
                advance(count)

    def close(self) -> None:
        """Stop the writing threads (files not yet started are not written)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
            self._pending = []

    def _write_chunk(self, files: Sequence[tuple[str, str]]) -> list[tuple[str, str | None]]:
        return [(name, self._write_one(name, text)) for name, text in files]

    def _write_one(self, name: str, text: str) -> str | None:
        """Write one file as ``atomic_write(..., private=True, durable=False, clean=False)``
        does (a temporary file named as it names them, mode 0600 and never looser than the
        file replaced, moved into place), with four system calls and no file object: the
        error message, or None."""
        folder = str(self.out_dir)
        target = f"{folder}/{name}"
        tmp = f"{folder}/.{name}.{os.getpid()}.{next(self._counter):x}w{TEMP_SUFFIX}"
        try:
            fd = os.open(tmp, _OPEN_FLAGS, PRIVATE_MODE)
        except FileExistsError:  # a name left by another process: take the general path
            try:
                atomic_write(target, text, private=True, durable=False, clean=False)
            except RepfitError as exc:
                return exc.message
            return None
        except OSError as exc:
            return f"{target}: cannot write here: {exc.strerror}."
        try:
            try:
                mode = PRIVATE_MODE & os.stat(target).st_mode
            except OSError:
                mode = PRIVATE_MODE
            os.fchmod(fd, mode)
            data = text.encode("utf-8")
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.close(fd)
            fd = -1
            os.replace(tmp, target)
        except OSError as exc:
            if fd >= 0:
                os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            return f"{target}: cannot write the file: {exc.strerror}."
        return None

    def finish(self) -> None:
        """Sync everything to disk, then write the manifest: complete, or what was written."""
        self._collect(self._pending)
        self.close()
        os.sync()
        if not self.failed:
            self._write_manifest(True, self.names)
            return
        self._write_manifest(False, self.written)
        name, error = self.failed[0]
        others = len(self.failed) - 1
        more = f" (and {others} other file{'s' if others != 1 else ''})" if others else ""
        raise AssessError(
            f"{self.out_dir}: wrote {len(self.written)} of {len(self.names)} profiles; "
            f"{name}{more} could not be written: {error} The manifest {self.manifest} lists "
            "the profiles written and is marked incomplete."
        )


def folder_warnings(folder: Path) -> list[str]:
    """Warnings about a folder of profiles written by ``assess score --out``.

    An unfinished run (manifest ``complete: false``) and profiles the last run did not
    write are reported; a folder without a manifest gives none.
    """
    manifest = folder / MANIFEST_NAME
    if not manifest.is_file():
        return []
    try:
        data = load_yaml(manifest, "manifest").data
    except RepfitError as exc:
        return [f"{manifest}: cannot read the manifest ({exc.message})"]
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        return [f"{manifest}: not a manifest written by assess score"]
    warnings = []
    if data.get("complete") is not True:
        warnings.append(
            f"{folder}: the last 'assess score --out' into this folder did not finish "
            f"(see {manifest}); its profiles may mix old and new results. Score again."
        )
    listed = {str(name) for name in data["files"]}
    stray = sorted(p.name for p in folder.glob("*.profile.yaml") if p.name not in listed)
    if stray and data.get("complete") is True:
        more = f" and {len(stray) - 1} more" if len(stray) > 1 else ""
        warnings.append(
            f"{folder}: {len(stray)} profile(s) were not written by the last 'assess score "
            f"--out' ({stray[0]}{more}); they come from an earlier run."
        )
    return warnings
