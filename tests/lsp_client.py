"""A small synchronous JSON-RPC client for driving the language server over stdio in tests.

A reader thread files every message the server sends: responses by id, notifications by method,
and requests from the server are answered with `null`."""

from __future__ import annotations

import itertools
import json
import subprocess
import threading
import time
from typing import Any, Callable, Optional


class ServerError(Exception):
    pass


class LspClient:
    def __init__(self, command: list, cwd: Optional[str] = None, stderr=None):
        self.process = subprocess.Popen(command, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=stderr or subprocess.DEVNULL)
        self._ids = itertools.count(1)
        self._lock = threading.Condition()
        self._responses: dict = {}
        self.notifications: list = []  # (method, params) in arrival order
        self._write_lock = threading.Lock()
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()

    # Sending.

    def _send(self, message: dict) -> None:
        body = json.dumps(message).encode("utf-8")
        with self._write_lock:
            self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.process.stdin.flush()

    def notify(self, method: str, params: Any = None) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def send_request(self, method: str, params: Any = None) -> int:
        request_id = next(self._ids)
        self._send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        return request_id

    def response(self, request_id: int, timeout: float = 10) -> Any:
        with self._lock:
            if not self._lock.wait_for(lambda: request_id in self._responses, timeout):
                raise TimeoutError(f"no response to request {request_id} within {timeout}s")
            message = self._responses.pop(request_id)
        if "error" in message:
            raise ServerError(message["error"])
        return message.get("result")

    def request(self, method: str, params: Any = None, timeout: float = 10) -> Any:
        return self.response(self.send_request(method, params), timeout)

    # Receiving.

    def wait_for_notification(self, method: str, predicate: Callable[[Any], bool] = lambda _: True,
                              timeout: float = 10, after: int = 0) -> Any:
        """The first notification `method` at index >= `after` whose params satisfy `predicate`."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                for index in range(after, len(self.notifications)):
                    name, params = self.notifications[index]
                    if name == method and predicate(params):
                        return params
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._lock.wait(remaining):
                    raise TimeoutError(f"no {method} notification matching within {timeout}s")

    def mark(self) -> int:
        with self._lock:
            return len(self.notifications)

    def diagnostics(self, uri: str, version: Optional[int] = None, after: int = 0, timeout: float = 10) -> list:
        params = self.wait_for_notification(
            "textDocument/publishDiagnostics",
            lambda p: p["uri"] == uri and (version is None or p.get("version") == version),
            timeout=timeout, after=after)
        return params["diagnostics"]

    def _read_loop(self) -> None:
        stream = self.process.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    with self._lock:
                        self._lock.notify_all()
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            message = json.loads(stream.read(length))
            if "method" in message and "id" in message:
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})
                continue
            with self._lock:
                if "method" in message:
                    self.notifications.append((message["method"], message.get("params")))
                else:
                    self._responses[message["id"]] = message
                self._lock.notify_all()

    # Lifecycle.

    def initialize(self, root_uri: Optional[str] = None, options: Any = None, capabilities: Optional[dict] = None):
        result = self.request("initialize", {
            "processId": None, "rootUri": root_uri, "capabilities": capabilities or {},
            "initializationOptions": options,
        })
        self.notify("initialized", {})
        return result

    def open(self, uri: str, text: str, version: int = 1, language: str = "yaml") -> None:
        self.notify("textDocument/didOpen",
                    {"textDocument": {"uri": uri, "languageId": language, "version": version, "text": text}})

    def replace(self, uri: str, text: str, version: int) -> None:
        self.notify("textDocument/didChange",
                    {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]})

    def close(self) -> int:
        try:
            self.request("shutdown", timeout=5)
            self.notify("exit")
            return self.process.wait(timeout=5)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
