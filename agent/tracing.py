"""OpenTelemetry traces of DialogGen runs: one span per graph node and per model call.

The spans come from OpenInference's LangChain instrumentation
(``openinference-instrumentation-langchain``), which follows every LangChain / LangGraph
run; DialogGen only picks the exporter (``Context.trace``, ``--trace``,
``DIALOGGEN_TRACE``, ``trace = "..."`` in the config file):

- ``otlp``: OTLP over HTTP to ``$OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`` /
  ``$OTEL_EXPORTER_OTLP_ENDPOINT`` (default ``http://localhost:4318``); headers such as a
  Langfuse key come from ``$OTEL_EXPORTER_OTLP_HEADERS``, never from the setting.
- ``otlp:ENDPOINT``: the same to ``ENDPOINT`` (``http://localhost:6006`` for Phoenix;
  ``/v1/traces`` is added when the URL has no path).
- ``file:PATH``: one JSON object per span per line, appended to ``PATH``.

Images never go into spans (the graph state holds references; images sent to a vision
model are hidden by OpenInference's ``hide_input_images``), and no key or base-URL
credential does: attribute values are scrubbed of URL user-info, values of
``*_KEY`` / ``*_TOKEN`` / ``*_SECRET`` environment variables, and base64 data before export.
"""

from __future__ import annotations

import atexit
import os
import re
import threading
from pathlib import Path
from typing import Any, Optional
from urllib.parse import urlsplit

from .errors import ConfigError

_lock = threading.Lock()
_provider: Any = None
_targets: set[str] = set()

_USERINFO = re.compile(r"(\b[a-zA-Z][a-zA-Z0-9+.-]*://)[^/\s@]+@")
_DATA_URL = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+")
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/]{200,}={0,2}")
_SECRET_ENV = re.compile(r"(KEY|TOKEN|SECRET|PASSWORD)$", re.IGNORECASE)


def parse_trace(spec: str) -> tuple[str, Optional[str]]:
    """``("otlp", endpoint or None)`` or ``("file", path)``; a ConfigError for anything else."""
    kind, _, arg = (spec or "").strip().partition(":")
    kind = kind.strip().lower()
    if kind == "otlp":
        return "otlp", arg.strip() or None
    if kind == "file" and arg.strip():
        return "file", arg.strip()
    raise ConfigError(f"The trace setting {spec!r} is not understood: use otlp, otlp:ENDPOINT or file:PATH.")


def _secrets() -> list[str]:
    return [v for k, v in os.environ.items() if _SECRET_ENV.search(k) and len(v) >= 8]


def scrub(value: Any, secrets: list[str]) -> Any:
    """``value`` without URL credentials, secret environment values or base64 data."""
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, "[redacted]")
        value = _USERINFO.sub(r"\1[redacted]@", value)
        value = _DATA_URL.sub("[image data removed]", value)
        return _BASE64_RUN.sub("[base64 data removed]", value)
    if isinstance(value, (list, tuple)):
        return type(value)(scrub(v, secrets) for v in value)
    return value


def _scrubbing(exporter: Any) -> Any:
    """``exporter`` behind a filter that scrubs every span's attributes and event attributes."""
    from opentelemetry.sdk.trace import Event, ReadableSpan
    from opentelemetry.sdk.trace.export import SpanExporter

    class ScrubbingExporter(SpanExporter):
        def export(self, spans):  # noqa: ANN001
            secrets = _secrets()
            clean = [
                ReadableSpan(
                    name=s.name, context=s.context, parent=s.parent, resource=s.resource,
                    attributes={k: scrub(v, secrets) for k, v in (s.attributes or {}).items()},
                    events=[Event(e.name, {k: scrub(v, secrets) for k, v in (e.attributes or {}).items()}, e.timestamp) for e in s.events],
                    links=s.links, kind=s.kind, status=s.status, start_time=s.start_time, end_time=s.end_time,
                    instrumentation_scope=s.instrumentation_scope,
                )
                for s in spans
            ]
            return exporter.export(clean)

        def shutdown(self) -> None:
            exporter.shutdown()

        def force_flush(self, timeout_millis: int = 30000) -> bool:
            return getattr(exporter, "force_flush", lambda *a: True)(timeout_millis)

    return ScrubbingExporter()


def _file_exporter(path: str) -> Any:
    from opentelemetry.sdk.trace.export import ConsoleSpanExporter

    target = Path(path).expanduser()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        out = open(target, "a", encoding="utf-8")  # noqa: SIM115 - open for the process's life
    except OSError as exc:
        raise ConfigError(f"Cannot write traces to {target} ({exc.strerror}): choose a writable file with --trace file:PATH.") from exc
    atexit.register(out.close)
    return ConsoleSpanExporter(out=out, formatter=lambda span: span.to_json(indent=None) + "\n")


def _otlp_exporter(endpoint: Optional[str]) -> Any:
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    if endpoint is None:
        return OTLPSpanExporter()
    if not urlsplit(endpoint).path.strip("/"):
        endpoint = endpoint.rstrip("/") + "/v1/traces"
    return OTLPSpanExporter(endpoint=endpoint)


def setup_tracing(spec: str) -> Any:
    """Start exporting spans to ``spec`` (see the module doc); idempotent per target.
    Returns the OpenTelemetry ``TracerProvider`` (``force_flush()`` before reading a file)."""
    global _provider
    kind, arg = parse_trace(spec)
    try:
        from openinference.instrumentation import TraceConfig
        from openinference.instrumentation.langchain import LangChainInstrumentor
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor
    except ImportError as exc:
        raise ConfigError("Tracing needs OpenTelemetry and OpenInference: pip install 'dialoggen[trace]'.") from exc
    with _lock:
        key = f"{kind}:{arg or ''}"
        if key in _targets:
            return _provider
        if kind == "file":
            processor = SimpleSpanProcessor(_scrubbing(_file_exporter(arg or "")))
        else:
            processor = BatchSpanProcessor(_scrubbing(_otlp_exporter(arg)))
        if _provider is None:
            _provider = TracerProvider(resource=Resource.create({"service.name": "dialoggen"}))
            LangChainInstrumentor().instrument(
                tracer_provider=_provider, config=TraceConfig(hide_input_images=True, base64_image_max_length=0)
            )
            atexit.register(_provider.shutdown)
        _provider.add_span_processor(processor)
        _targets.add(key)
        return _provider


def shutdown_tracing() -> None:
    """Flush and stop every exporter and remove the instrumentation (tests; a process's end does it too)."""
    global _provider
    with _lock:
        if _provider is None:
            return
        from openinference.instrumentation.langchain import LangChainInstrumentor

        LangChainInstrumentor().uninstrument()
        _provider.shutdown()
        _provider = None
        _targets.clear()
