"""One background thread that runs the analyses, so that the server's event loop keeps answering
(`shutdown`, hover, the next change) while a large document is linted."""

from __future__ import annotations

import queue
import threading
from concurrent.futures import Future
from typing import Callable


class Worker:
    """Runs submitted calls one at a time, in order, on a daemon thread: a process that is told to
    exit does not wait for an analysis nobody needs any more."""

    def __init__(self, name: str = "openjd-lint-analysis"):
        self._calls: queue.SimpleQueue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, call: Callable, wanted: Callable[[], bool] = lambda: True) -> Future:
        """`call()` on the thread; skipped (the future cancelled) when `wanted()` is false by its turn."""
        future: Future = Future()
        self._calls.put((future, call, wanted))
        return future

    def _run(self) -> None:
        while True:
            future, call, wanted = self._calls.get()
            if not wanted():
                future.cancel()
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(call())
            except BaseException as error:  # noqa: BLE001  (handed to whoever awaits the result)
                future.set_exception(error)
