"""Saving the answers file after every answer without making the screen wait.

Writing YAML and syncing it to disk takes tens of milliseconds; done on the UI
thread it would delay the next item. :class:`AnswersAutosaver` writes in one
background thread, always the newest snapshot (older unwritten snapshots are
skipped: the newest contains them), one write at a time, atomically through
:func:`assess.profiles.save_answers`. :meth:`AnswersAutosaver.flush` waits until
the newest snapshot is on disk; the app flushes before submitting, on Ctrl+S and
on quitting.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from assess.fileio import RepfitError
from assess.model import Answers
from assess.profiles import save_answers


class AnswersAutosaver:
    """Background writer of one answers file; ``on_error`` gets a message when a write fails."""

    def __init__(self, path: Path, on_error: Callable[[str], None]) -> None:
        self.path = path
        self._on_error = on_error
        self._condition = threading.Condition()
        self._pending: Answers | None = None
        self._writing = False
        self._closed = False
        self._last_error: str | None = None
        self._thread = threading.Thread(target=self._run, name="answers-autosave", daemon=True)
        self._thread.start()

    def save(self, answers: Answers) -> None:
        """Queue ``answers`` to be written (replacing any snapshot not yet written)."""
        with self._condition:
            self._pending = answers
            self._condition.notify_all()

    def flush(self) -> str | None:
        """Wait until everything queued is written; the last write's error message, if any."""
        with self._condition:
            while self._pending is not None or self._writing:
                self._condition.wait()
            return self._last_error

    def close(self) -> str | None:
        """Write what is queued, stop the thread; the last error message, if any."""
        error = self.flush()
        with self._condition:
            self._closed = True
            self._condition.notify_all()
        self._thread.join()
        return error

    def _run(self) -> None:
        while True:
            with self._condition:
                while self._pending is None and not self._closed:
                    self._condition.wait()
                if self._pending is None:
                    return
                answers, self._pending = self._pending, None
                self._writing = True
            error = self._write(answers)
            with self._condition:
                self._writing = False
                self._last_error = error
                self._condition.notify_all()
            if error is not None:
                self._on_error(error)

    def _write(self, answers: Answers) -> str | None:
        try:
            save_answers(self.path, answers)
        except RepfitError as exc:
            return exc.message
        except OSError as exc:
            return f"{self.path}: {exc.strerror or exc}"
        return None
