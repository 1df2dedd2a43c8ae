"""The HTTP layer of `calque serve`: a JSON API over AnnotationService and the static browser UI.

    GET    /api/session                        who you are, the corpus's typology (category picker), severities
    GET    /api/documents                      documents; per translation: segments, annotated, annotated_by_me, open_suggestions
    GET    /api/documents/{id}                 pipelines.views.document.document_view(): rows of aligned source/target segments with annotations
    GET    /api/annotations/{id}               one annotation (with segment_idx and stale)
    POST   /api/annotations                    {translation, side?, segment, start, end, text?, category, severity, comment?, correction?}
                                               → 201 and the stored row (version 1); annotator = you, origin = human
    PATCH  /api/annotations/{id}               {version, category?, severity?, comment?, correction?} → the row, version + 1
    DELETE /api/annotations/{id}?version=N     your own annotations only (403 otherwise); no body needed
    GET    /openapi.json                       this API as an OpenAPI 3.1 document (pipelines/serve/openapi.json)
    POST   /api/annotations/{id}/confirm       {version}: accept an auto:* suggestion; /reject refuses it
A write based on a stale version gets 409 with the current row in "current"; errors are {"error": "..."}.

Every response carries a Content-Security-Policy without inline scripts; writes must be JSON
(`Content-Type: application/json`, which a cross-site form cannot send without a CORS preflight that
this server never grants) and, when the browser names an Origin, come from this server's own origin.
On a loopback binding the Host header must name the loopback too (no DNS rebinding).
"""
from __future__ import annotations

import inspect
import json
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from corpus import Corpus
from corpus.errors import CalqueError, ConflictError, CorpusBusy, InputError, NotFoundError
from corpus.validation import load_json
from pipelines.serve.auth import AccessPolicy, Identity, Unauthorized, is_loopback
from pipelines.serve.campaign_routes import campaign_routes
from pipelines.serve.service import SEVERITIES, AnnotationService, Forbidden

STATIC = Path(__file__).resolve().parent / "static"
OPENAPI = Path(__file__).resolve().parent / "openapi.json"
MAX_BODY = 256 * 1024
RETRY_AFTER_S = 2  # a busy corpus: another process holds the write lock
SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
                                 b"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SafeJSONResponse(JSONResponse):
    """JSON with <, > and & escaped as \\u003c, \\u003e, \\u0026: segment text stays data even if something sniffs it as HTML."""

    encoder = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))

    def render(self, content) -> bytes:
        text = self.encoder.encode(content)
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").encode("utf-8")


class UnsupportedMediaType(InputError):
    """A write that is not JSON (and so could come from a cross-site form)."""


class PayloadTooLarge(InputError):
    """A request body over MAX_BODY bytes."""


STATUS = {CorpusBusy: 503, UnsupportedMediaType: 415, PayloadTooLarge: 413, InputError: 400, Unauthorized: 401, Forbidden: 403, NotFoundError: 404, ConflictError: 409}


class SecurityHeaders:
    """Pure ASGI middleware adding the security headers (and no-store on the API) to every response."""

    def __init__(self, app):
        self.app = app
        self.service: AnnotationService | None = None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        api = scope["path"].startswith("/api/")

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", [])) + SECURITY_HEADERS
                if api:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def error_response(error: Exception, extra: dict | None = None) -> JSONResponse:
    status = next((code for kind, code in STATUS.items() if isinstance(error, kind)), 400)
    headers = {"WWW-Authenticate": 'Bearer realm="calque"'} if status == 401 else None
    if status == 503:
        headers = {"Retry-After": str(RETRY_AFTER_S)}
    return SafeJSONResponse({"error": str(error), **(extra or {})}, status_code=status, headers=headers)


def _host_of(value: str) -> str:
    return (urlsplit(f"//{value}").hostname or "").lower()


@lru_cache(maxsize=64)
def _addresses_loopback(host_header: str) -> bool:
    """Whether a Host header names the loopback interface (remembered: every request of a client sends the same one)."""
    return is_loopback(_host_of(host_header))


def create_app(corpus: Corpus, policy: AccessPolicy, loopback_only: bool | None = None) -> Starlette:
    """The ASGI app for one corpus; `loopback_only` (default: tokens not required) enforces a loopback Host header."""
    service = AnnotationService(corpus)
    loopback_only = (not policy.require_tokens) if loopback_only is None else loopback_only

    def guard(request: Request, write: bool) -> Identity:
        """Checks every API request: Host, write hygiene (CSRF), then who is asking."""
        if loopback_only and not _addresses_loopback(request.headers.get("host", "")):
            raise Forbidden("this server only answers requests addressed to the loopback interface")
        # A DELETE without a body needs no content type: no cross-site form can send DELETE at all.
        bodiless_delete = request.method == "DELETE" and request.headers.get("content-length", "0") == "0" \
            and "transfer-encoding" not in request.headers
        if write and not bodiless_delete:
            content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if content_type != "application/json":
                raise UnsupportedMediaType("writes must be sent as Content-Type: application/json")
            origin = request.headers.get("origin")
            if origin is not None and urlsplit(origin).netloc.lower() != request.headers.get("host", "").lower():
                raise Forbidden("cross-origin writes are refused")
        return policy.identify(request.headers.get("authorization"))

    async def body(request: Request) -> dict:
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_BODY:
            raise PayloadTooLarge(f"request body over {MAX_BODY} bytes")
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BODY:
                raise PayloadTooLarge(f"request body over {MAX_BODY} bytes")
            chunks.append(chunk)
        raw = b"".join(chunks)
        if not raw:
            return {}
        try:
            data = load_json(raw)
        except InputError as problem:
            raise InputError(f"request body is not acceptable JSON ({problem})") from None
        if not isinstance(data, dict):
            raise InputError("the request body must be a JSON object")
        return data

    def endpoint(handler, write: bool = False, campaign_route: bool = False):
        """The handler behind the guard. Corpus routes get the annotator's name and refuse campaign tokens;
        campaign routes get the Identity and check its campaign themselves (pipelines.serve.campaign_routes)."""
        async def wrapped(request: Request) -> Response:
            try:
                identity = guard(request, write)
                if identity.campaign is not None and not campaign_route:
                    raise Forbidden(f"this sign-in link opens campaign {identity.campaign!r} only")
                annotator = identity if campaign_route else identity.name
                payload = await body(request) if write else {}
                if inspect.iscoroutinefunction(handler):
                    result, status = await handler(request, annotator, payload)
                else:
                    result, status = await run_in_threadpool(handler, request, annotator, payload)
                return SafeJSONResponse(result, status_code=status)
            except ConflictError as conflict:
                annotation_id = request.path_params.get("annotation_id")
                if annotation_id is None:
                    return error_response(conflict)
                try:
                    current = await run_in_threadpool(service.annotation, annotation_id)
                except NotFoundError as gone:
                    return error_response(gone)
                return error_response(conflict, {"current": current})
            except CalqueError as error:
                return error_response(error)

        return wrapped

    def session(request, annotator, _):
        return {"annotator": annotator, "tokens_required": policy.require_tokens, "typology": service.typology(),
                "severities": list(SEVERITIES)}, 200

    def documents(request, annotator, _):
        return service.documents(annotator), 200

    def document(request, annotator, _):
        return service.document(request.path_params["document_id"]), 200

    def annotation(request, annotator, _):
        return service.annotation(request.path_params["annotation_id"]), 200

    async def create(request, annotator, payload):
        return await service.create_async(payload, annotator), 201

    def update(request, annotator, payload):
        changes = {k: v for k, v in payload.items() if k != "version"}
        return service.update(request.path_params["annotation_id"], changes, payload.get("version"), annotator), 200

    def delete(request, annotator, payload):
        return service.delete(request.path_params["annotation_id"], request.query_params.get("version"), annotator), 200

    def confirm(request, annotator, payload):
        return service.review(request.path_params["annotation_id"], "confirmed", payload.get("version"), annotator), 200

    def reject(request, annotator, payload):
        return service.review(request.path_params["annotation_id"], "rejected", payload.get("version"), annotator), 200

    async def index(request: Request) -> Response:
        if loopback_only and not _addresses_loopback(request.headers.get("host", "")):
            return error_response(Forbidden("this server only answers requests addressed to the loopback interface"))
        return FileResponse(STATIC / "index.html", headers={"cache-control": "no-cache"})

    async def openapi(request: Request) -> Response:
        return FileResponse(OPENAPI, media_type="application/json", headers={"cache-control": "no-cache"})

    routes = [
        Route("/", index),
        Route("/openapi.json", openapi),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Route("/api/session", endpoint(session)),
        Route("/api/documents", endpoint(documents)),
        Route("/api/documents/{document_id:path}", endpoint(document)),
        Route("/api/annotations", endpoint(create, write=True), methods=["POST"]),
        Route("/api/annotations/{annotation_id}", endpoint(annotation), methods=["GET"]),
        Route("/api/annotations/{annotation_id}", endpoint(update, write=True), methods=["PATCH"]),
        Route("/api/annotations/{annotation_id}", endpoint(delete, write=True), methods=["DELETE"]),
        Route("/api/annotations/{annotation_id}/confirm", endpoint(confirm, write=True), methods=["POST"]),
        Route("/api/annotations/{annotation_id}/reject", endpoint(reject, write=True), methods=["POST"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    routes[-1:-1] = campaign_routes(corpus, endpoint, service.write_lock, loopback_only)
    app = Starlette(routes=routes)
    wrapped = SecurityHeaders(app)
    wrapped.service = service
    return wrapped
