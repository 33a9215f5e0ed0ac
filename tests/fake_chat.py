"""Test doubles for chat models, reusable from any test file.

- :class:`FakeChatModel`: a langchain chat model that answers from a queue and records
  every call; ``with_structured_output`` works tool-calling style (a queued ``dict`` becomes
  the tool call's arguments). ``structured=False`` makes it a plain-text model.
- :class:`FakeOpenAIServer`: a real OpenAI-compatible HTTP server on 127.0.0.1 (stdlib,
  random port, in a thread) serving ``/v1/chat/completions``: tool calls when the client
  sends tools, JSON content for ``response_format``, plain content otherwise; as server-sent
  events when the request streams.

Usage::

    from fake_chat import FakeChatModel, FakeOpenAIServer

    model = FakeChatModel(responses=[{"modality": "image", "confidence": 0.9}])
    with FakeOpenAIServer(["hello"]) as server:
        chat = load_chat_model("openai:fake-model", openai_base_url=server.base_url)
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Optional, Sequence, Union

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import Field


class FakeChatModel(BaseChatModel):
    """Answers with queued responses, in order; records each call in ``calls``.

    A response is a ``str`` (message content), a ``dict`` (tool-call arguments when tools
    are bound, else its JSON as content), a ``BaseMessage`` (as is) or an exception (raised).
    """

    responses: list[Any] = Field(default_factory=list)
    calls: list[dict] = Field(default_factory=list)
    structured: bool = True  # False: no tool calling, so with_structured_output raises NotImplementedError
    vision: bool = False

    @property
    def _llm_type(self) -> str:
        return "fake-chat"

    def bind_tools(self, tools: Sequence[Any], *, tool_choice: Any = None, **kwargs: Any) -> Any:
        if not self.structured:
            raise NotImplementedError("this fake model has no tool calling")
        return self.bind(tools=[convert_to_openai_tool(t) for t in tools], tool_choice=tool_choice, **kwargs)

    def _generate(self, messages: list[BaseMessage], stop: Optional[list[str]] = None, run_manager: Any = None, **kwargs: Any) -> ChatResult:
        tools = kwargs.get("tools") or []
        self.calls.append({"messages": list(messages), "tools": [t["function"]["name"] for t in tools]})
        if not self.responses:
            raise AssertionError("FakeChatModel: no queued response left")
        resp = self.responses.pop(0)
        if isinstance(resp, BaseException):
            raise resp
        if isinstance(resp, BaseMessage):
            msg = resp
        elif isinstance(resp, dict) and tools:
            name = tools[0]["function"]["name"]
            msg = AIMessage(content="", tool_calls=[{"name": name, "args": resp, "id": f"call_{len(self.calls)}"}])
        elif isinstance(resp, dict):
            msg = AIMessage(content=json.dumps(resp, ensure_ascii=False))
        else:
            msg = AIMessage(content=str(resp))
        return ChatResult(generations=[ChatGeneration(message=msg)])


Reply = Union[str, dict, tuple]


class FakeOpenAIServer:
    """A local OpenAI-compatible server. ``replies`` are served in order (or ``responder``
    is called with each request body): a ``dict`` is structured output (tool-call arguments
    or JSON content, as the request asks), a ``str`` is content, and ``("status", 401)``
    answers with that HTTP error. ``requests`` keeps ``(headers, body)`` of every request."""

    def __init__(self, replies: Optional[list[Reply]] = None, responder: Optional[Callable[[dict], Reply]] = None) -> None:
        self.replies = list(replies or [])
        self.responder = responder
        self.requests: list[tuple[dict, dict]] = []
        self._server: Optional[ThreadingHTTPServer] = None
        self._thread: Optional[threading.Thread] = None

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start the server first"
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> "FakeOpenAIServer":
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep the test output quiet
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                owner.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    return self._send(404, {"error": {"message": "not found", "type": "invalid_request_error"}})
                reply = owner.responder(body) if owner.responder else (owner.replies.pop(0) if owner.replies else "")
                if isinstance(reply, tuple) and reply[0] == "status":
                    return self._send(reply[1], {"error": {"message": f"status {reply[1]}", "type": "error", "code": reply[1]}})
                if body.get("stream"):
                    return self._send_sse(owner.completion(body, reply))
                self._send(200, owner.completion(body, reply))

            def _send_sse(self, completion: dict) -> None:
                """The completion as server-sent events (``stream: true``), as real servers do."""
                choice = completion["choices"][0]
                msg = choice["message"]
                delta: dict[str, Any] = {"role": "assistant", "content": msg.get("content") or ""}
                if msg.get("tool_calls"):
                    delta["tool_calls"] = [{"index": 0, **tc} for tc in msg["tool_calls"]]
                base = {k: completion[k] for k in ("id", "created", "model")}
                events = [
                    {**base, "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": delta, "finish_reason": None}]},
                    {**base, "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {}, "finish_reason": choice["finish_reason"]}]},
                ]
                data = b"".join(b"data: " + json.dumps(e).encode() + b"\n\n" for e in events) + b"data: [DONE]\n\n"
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _send(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout tests)
                    pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @staticmethod
    def completion(body: dict, reply: Reply) -> dict:
        """A chat.completion object answering ``body`` with ``reply``."""
        message: dict[str, Any] = {"role": "assistant", "content": None}
        finish = "stop"
        tools = body.get("tools") or []
        if isinstance(reply, dict) and tools:
            choice = body.get("tool_choice")
            name = choice["function"]["name"] if isinstance(choice, dict) else tools[0]["function"]["name"]
            message["tool_calls"] = [{"id": "call_1", "type": "function", "function": {"name": name, "arguments": json.dumps(reply)}}]
            finish = "tool_calls"
        else:
            message["content"] = json.dumps(reply, ensure_ascii=False) if isinstance(reply, dict) else str(reply)
        return {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": 0,
            "model": body.get("model", "fake-model"),
            "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }
