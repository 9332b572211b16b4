"""Work done on the machine's other core: a function run in a forked process, its result taken when needed.

The site engine builds one language after another on one core. What a later language needs (its rendered
pages) can be made meanwhile in a child process, forked so that it starts with the validated project already
in memory and nothing has to be pickled but the result.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


def cores() -> int:
    """The cores this process may use: how many processes can work at once."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


class BackgroundError(Exception):
    """The function failed in the child process (its traceback is the message), or the child died (`died`)."""

    def __init__(self, message: str, died: bool = False):
        super().__init__(message)
        self.died = died


class Background(Generic[T]):
    def __init__(self, function: Callable[[], T], daemon: bool = True):
        """Start `function` in a forked child. A daemon child ends with this process; one that starts children
        of its own (a PDF worker laying a booklet out in two parts) cannot be a daemon, and is stopped by stop()."""
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_run, args=(function, send), daemon=daemon)
        self._process.start()
        send.close()  # the child's end: the parent reads EOF if the child dies before sending
        self._result: tuple[bool, object] | None = None
        self._died = False

    def result(self) -> T:
        """The function's result (waiting for it); raises BackgroundError if it failed."""
        if self._result is None:
            try:
                self._result = self._receive.recv()
            except EOFError:
                self._died = True
                self._result = (False, f"the process ended without a result (exit code {self._process.exitcode})")
            finally:
                self._receive.close()
                self._process.join()
        done, value = self._result
        if not done:
            raise BackgroundError(value, died=self._died)
        return value  # type: ignore[return-value]

    def stop(self) -> None:
        """Stop the work if it is still running (its result is no longer wanted)."""
        if self._result is None and self._process.is_alive():
            self._process.terminate()
            self._process.join()


def _run(function: Callable[[], object], send) -> None:
    try:
        result: tuple[bool, object] = (True, function())
    except BaseException:  # noqa: BLE001 - whatever it was, the parent reports it
        result = (False, traceback.format_exc())
    send.send(result)
    send.close()
