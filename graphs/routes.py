"""HTTP routes beside the served graph: pictures by id, never by path.

``langgraph.json`` mounts :data:`app` next to the LangGraph server's own API (its ``http.app``
key); ``dialoggen web`` mounts the same routes. A turn record's ``image.sha256`` is the id::

    GET  /images/{sha256}         -> the PNG (404 for an unknown or malformed id)
    POST /images?caption=TEXT     body = the image file -> {"sha256": ID, "caption": TEXT}

An uploaded file is validated and re-encoded like any attachment (size, pixels, format);
send ``{"attachment": {"sha256": ID, "caption": TEXT}}`` with the next message to ask
about it or change it. Images live in the operator's data directory.
"""

from __future__ import annotations

import os
import tempfile
from typing import Callable

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from ..agent.errors import DialogGenError
from ..tools.image_store import MAX_BYTES
from .serve import image_path, operator_context


def image_routes(data_dir: Callable[[], str]) -> list[Route]:
    """The two routes, reading images from ``data_dir()`` (a callable: the operator's
    setting is read per request)."""

    async def get_image(request: Request) -> Response:
        path = await run_in_threadpool(image_path, request.path_params["image_id"], data_dir())
        if path is None:
            return JSONResponse({"error": "No image with that id: use the sha256 of a turn's image."}, status_code=404)
        return FileResponse(path, media_type="image/png", headers={"Cache-Control": "public, max-age=31536000, immutable"})

    async def post_image(request: Request) -> Response:
        body = await request.body()
        if not body:
            return JSONResponse({"error": "The request has no image: send the file's bytes as the body."}, status_code=400)
        if len(body) > MAX_BYTES:
            return JSONResponse({"error": "The image is too large: send a smaller file."}, status_code=413)
        try:
            ref = await run_in_threadpool(_store_upload, body, data_dir(), request.query_params.get("caption"))
        except DialogGenError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse({"sha256": ref["sha256"], "caption": ref.get("caption")})

    return [
        Route("/images/{image_id}", get_image, methods=["GET"]),
        Route("/images", post_image, methods=["POST"]),
    ]


def _store_upload(body: bytes, data_dir: str, caption):
    """Validate and store uploaded bytes like an attached file (errors name no server path)."""
    from ..tools.image_store import ImageStore

    fd, tmp = tempfile.mkstemp(suffix=".upload")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(body)
        try:
            return ImageStore(data_dir).attach(tmp, caption=caption)
        except DialogGenError as exc:
            raise type(exc)(str(exc).replace(f"'{os.path.basename(tmp)}'", "The upload")) from None
    finally:
        os.unlink(tmp)


#: The routes as an app, for ``langgraph.json``'s ``"http": {"app": "dialoggen.graphs.routes:app"}``.
app = Starlette(routes=image_routes(lambda: operator_context().data_dir))
