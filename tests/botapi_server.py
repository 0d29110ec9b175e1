"""A real HTTP server on loopback that speaks the part of the Telegram Bot API the bot uses.

The unmodified python-telegram-bot client talks to it over real HTTP (``base_url`` =
:attr:`BotApiServer.base_url`). Tests inject updates (text, commands, stickers, photos,
button presses), read back every call the bot made, and simulate trouble: a 429 flood-control
answer, a dropped connection, a chat that blocked the bot.

``getUpdates`` is real long polling: the request is held until an update with an id at or
above ``offset`` exists, or ``timeout`` seconds pass. Updates below ``offset`` are confirmed
and forgotten, exactly as Telegram does, so a client that never confirms gets them again.

Waiting is done on a condition variable (:meth:`BotApiServer.wait_for`), never by sleeping.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

BOT_ID = 7000001
BOT_USERNAME = "lawbot_test_bot"
TOKEN = f"{BOT_ID}:TEST-token-for-loopback"

# Parameters PTB sends JSON-encoded inside a form body.
JSON_PARAMS = {
    "reply_markup",
    "reply_parameters",
    "allowed_updates",
    "commands",
    "scope",
    "entities",
    "link_preview_options",
}


@dataclass
class Call:
    """One Bot API request the client made."""

    method: str
    params: dict[str, Any]
    result: Any = None
    at: float = field(default_factory=time.monotonic)  # when the request arrived


@dataclass
class Fault:
    """A failure to answer the next matching request with."""

    method: str
    kind: str  # "429" | "drop" | "403" | "400"
    retry_after: int = 1
    description: str = ""
    when: Callable[[dict[str, Any]], bool] | None = None  # only requests with these params


@dataclass
class _State:
    updates: list[dict[str, Any]] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    message_ids: dict[int, Iterator[int]] = field(default_factory=dict)
    blocked: set[int] = field(default_factory=set)
    closing: bool = False


class BotApiServer:
    """The loopback Bot API server; use as a context manager or call start()/stop()."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self._cond = threading.Condition()
        self._state = _State()
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._user_message_ids = itertools.count(100_000)
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.stopped = False

    # -- lifecycle -------------------------------------------------------------------------

    def start(self, port: int = 0) -> BotApiServer:
        """Listen on loopback in a background thread: on ``port``, or a free one when 0
        (a test restarts a stopped server on its old port to bring Telegram "back")."""
        server = self

        class Handler(_Handler):
            api = server

        with self._cond:
            self._state.closing = False
        self.stopped = False
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Release held long polls and close the listening socket."""
        with self._cond:
            self._state.closing = True
            self._cond.notify_all()
        self.stopped = True
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    def __enter__(self) -> BotApiServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """The value for ``TELEGRAM_BASE_URL`` / PTB's ``base_url`` (the token is appended)."""
        assert self._httpd is not None
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/bot"

    # -- injecting updates ------------------------------------------------------------------

    def push_message(
        self,
        chat_id: int,
        user_id: int,
        text: str | None = None,
        *,
        first_name: str = "居民",
        chat_type: str = "private",
        reply_to: int | None = None,
        extra: dict[str, Any] | None = None,
    ) -> int:
        """Queue a message from a person; return its message id."""
        message_id = next(self._user_message_ids)
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": _chat(chat_id, chat_type),
            "from": {"id": user_id, "is_bot": False, "first_name": first_name},
        }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [
                    {"type": "bot_command", "offset": 0, "length": len(command)}
                ]
        if reply_to is not None:
            message["reply_to_message"] = {
                "message_id": reply_to,
                "date": int(time.time()),
                "chat": _chat(chat_id, chat_type),
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "lawbot"},
                "text": "…",
            }
        message.update(extra or {})
        self._push({"message": message})
        return message_id

    def push_sticker(self, chat_id: int, user_id: int) -> int:
        """Queue a sticker message."""
        sticker = {
            "file_id": "STK1",
            "file_unique_id": "stk1",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
            "emoji": "😀",
        }
        return self.push_message(chat_id, user_id, extra={"sticker": sticker})

    def push_photo(self, chat_id: int, user_id: int, caption: str | None = None) -> int:
        """Queue a photo message, with an optional caption."""
        photo = [{"file_id": "PH1", "file_unique_id": "ph1", "width": 90, "height": 90}]
        extra: dict[str, Any] = {"photo": photo}
        if caption is not None:
            extra["caption"] = caption
        return self.push_message(chat_id, user_id, extra=extra)

    def push_callback(
        self,
        chat_id: int,
        user_id: int,
        data: str,
        message_id: int,
        *,
        chat_type: str = "private",
        first_name: str = "居民",
    ) -> str:
        """Queue a button press on the bot's message ``message_id``; return the query id."""
        query_id = f"q{next(self._callback_ids)}"
        self._push(
            {
                "callback_query": {
                    "id": query_id,
                    "from": {"id": user_id, "is_bot": False, "first_name": first_name},
                    "chat_instance": f"ci{chat_id}",
                    "data": data,
                    "message": {
                        "message_id": message_id,
                        "date": int(time.time()),
                        "chat": _chat(chat_id, chat_type),
                        "from": {"id": BOT_ID, "is_bot": True, "first_name": "lawbot"},
                        "text": "…",
                    },
                }
            }
        )
        return query_id

    def _push(self, body: dict[str, Any]) -> int:
        with self._cond:
            update_id = next(self._update_ids)
            self._state.updates.append({"update_id": update_id, **body})
            self._cond.notify_all()
        return update_id

    # -- trouble -----------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        kind: str,
        retry_after: int = 1,
        description: str = "",
        when: Callable[[dict[str, Any]], bool] | None = None,
    ) -> None:
        """Answer the next ``method`` call (matching ``when``) with a 429, a 403, a 400, or a
        dropped connection."""
        with self._cond:
            self._state.faults.append(Fault(method, kind, retry_after, description, when))

    def block(self, chat_id: int) -> None:
        """Make every later sendMessage to ``chat_id`` fail with 403 (the user blocked us)."""
        with self._cond:
            self._state.blocked.add(chat_id)

    # -- reading back -------------------------------------------------------------------------

    def calls(self, method: str | None = None) -> list[Call]:
        """Every call so far (of ``method`` when given), oldest first."""
        with self._cond:
            return [c for c in self._state.calls if method is None or c.method == method]

    def sent(self, chat_id: int | None = None) -> list[Call]:
        """Every successful sendMessage (to ``chat_id`` when given)."""
        return [
            c
            for c in self.calls("sendMessage")
            if c.result is not None and (chat_id is None or int(c.params["chat_id"]) == chat_id)
        ]

    def pending_faults(self) -> int:
        """How many injected failures have not been served yet."""
        with self._cond:
            return len(self._state.faults)

    def pending_updates(self) -> int:
        """How many updates the client has not confirmed yet."""
        with self._cond:
            return len(self._state.updates)

    def wait_for_sync(self, predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
        """Block until ``predicate()`` holds (re-checked on every call and update)."""
        with self._cond:
            return self._cond.wait_for(predicate, timeout)

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        """Wait (without blocking the loop) until ``predicate()`` holds, or fail the test."""
        ok = await asyncio.get_running_loop().run_in_executor(
            None, self.wait_for_sync, predicate, timeout
        )
        if not ok:
            raise AssertionError(f"condition not met within {timeout}s; calls: {self._summary()}")

    def _summary(self) -> list[str]:
        return [
            f"{c.method}({c.params.get('chat_id', '')}: {str(c.params.get('text', ''))[:60]!r})"
            for c in self.calls()
            if c.method != "getUpdates"
        ][-12:]

    # -- the API ------------------------------------------------------------------------------

    def dispatch(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any] | None]:
        """Answer one request: (HTTP status, JSON body), or (0, None) to drop the connection."""
        with self._cond:
            fault = next(
                (
                    f
                    for f in self._state.faults
                    if f.method == method and (f.when is None or f.when(params))
                ),
                None,
            )
            if fault is not None:
                self._state.faults.remove(fault)
                self._state.calls.append(Call(method, params))
                self._cond.notify_all()
                return _fault_answer(fault)
        if method == "getUpdates":
            # Recorded when it arrives, so a test can see that a long poll is being held.
            call = Call(method, params)
            with self._cond:
                self._state.calls.append(call)
                self._cond.notify_all()
            call.result = self._get_updates(params)
            return 200, {"ok": True, "result": call.result}
        else:
            handler = getattr(self, f"_api_{method}", None)
            if handler is None:
                return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
            try:
                result = handler(params)
            except _ApiError as error:
                with self._cond:
                    self._state.calls.append(Call(method, params))
                    self._cond.notify_all()
                return error.status, {
                    "ok": False,
                    "error_code": error.status,
                    "description": error.description,
                }
        with self._cond:
            self._state.calls.append(Call(method, params, result))
            self._cond.notify_all()
        return 200, {"ok": True, "result": result}

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        limit = int(params.get("limit") or 100)
        with self._cond:
            if offset:
                self._state.updates = [
                    u for u in self._state.updates if u["update_id"] >= offset
                ]
            self._cond.wait_for(
                lambda: self._state.closing or bool(self._state.updates), timeout
            )
            return list(self._state.updates[:limit])

    def _api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "社区法律顾问助手",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def _api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        return True

    def _api_setMyCommands(self, params: dict[str, Any]) -> bool:
        return True

    def _api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        return True

    def _api_getChat(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        return _chat(chat_id, "private" if chat_id > 0 else "supergroup")

    def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        text = str(params.get("text", ""))
        with self._cond:
            if chat_id in self._state.blocked:
                raise _ApiError(403, "Forbidden: bot was blocked by the user")
        if not text.strip():
            raise _ApiError(400, "Bad Request: message text is empty")
        if len(text.encode("utf-16-le")) // 2 > 4096:
            raise _ApiError(400, "Bad Request: message is too long")
        if chat_id == 0:
            raise _ApiError(400, "Bad Request: chat not found")
        with self._cond:
            ids = self._state.message_ids.setdefault(chat_id, itertools.count(1))
            message_id = next(ids)
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": _chat(chat_id, "private" if chat_id > 0 else "supergroup"),
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "社区法律顾问助手"},
            "text": text,
        }
        if "reply_markup" in params:
            message["reply_markup"] = params["reply_markup"]
        return message

    def _api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        return {
            "message_id": int(params["message_id"]),
            "date": int(time.time()),
            "chat": _chat(chat_id, "private" if chat_id > 0 else "supergroup"),
            "text": params.get("text", ""),
        }

    def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._api_editMessageText(params)


class _ApiError(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def _chat(chat_id: int, chat_type: str) -> dict[str, Any]:
    chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
    if chat_type == "private":
        chat["first_name"] = "居民"
    else:
        chat["title"] = "东山街法律顾问值班群"
    return chat


def _fault_answer(fault: Fault) -> tuple[int, dict[str, Any] | None]:
    if fault.kind == "drop":
        return 0, None
    if fault.kind == "429":
        return 429, {
            "ok": False,
            "error_code": 429,
            "description": f"Too Many Requests: retry after {fault.retry_after}",
            "parameters": {"retry_after": fault.retry_after},
        }
    if fault.kind == "403":
        return 403, {
            "ok": False,
            "error_code": 403,
            "description": fault.description or "Forbidden: bot was blocked by the user",
        }
    return 400, {
        "ok": False,
        "error_code": 400,
        "description": fault.description or "Bad Request: chat not found",
    }


def parse_body(content_type: str, raw: bytes, query: str) -> dict[str, Any]:
    """The request's parameters from a form-encoded or JSON body (and the query string)."""
    params: dict[str, Any] = dict(parse_qsl(query))
    if "application/json" in content_type:
        params.update(json.loads(raw or b"{}"))
        return params
    for key, value in parse_qsl(raw.decode("utf-8"), keep_blank_values=True):
        if key in JSON_PARAMS:
            params[key] = json.loads(value)
        else:
            params[key] = value
    return params


class _Handler(BaseHTTPRequestHandler):
    api: BotApiServer
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: without TCP_NODELAY, Nagle's algorithm and the
    # client's delayed ACK add ~40 ms to every answer, which is no part of the bot.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""

    def do_GET(self) -> None:
        self._serve(b"")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._serve(self.rfile.read(length))

    def _serve(self, raw: bytes) -> None:
        if self.api.stopped:  # a kept-alive connection outlives stop(): the server is gone
            self.close_connection = True
            try:
                self.connection.shutdown(2)
            except OSError:
                pass
            return
        path, _, query = self.path.partition("?")
        prefix = f"/bot{self.api.token}/"
        if not path.startswith(prefix):
            self._reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        method = path[len(prefix) :]
        params = parse_body(self.headers.get("Content-Type", ""), raw, query)
        status, body = self.api.dispatch(method, params)
        if body is None:
            self.close_connection = True
            try:
                self.connection.shutdown(2)
            except OSError:
                pass
            return
        self._reply(status, body)

    def _reply(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
