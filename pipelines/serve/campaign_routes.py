"""The campaign part of `calque serve`: JSON routes over pipelines.campaign.service.CampaignService and the
campaign pages (annotator queue and item, owner's progress, reviewer's adjudication).

    GET    /campaign                                    the campaign UI (static page; #campaign=NAME&token=…)
    GET    /api/campaigns                               the campaigns you take part in, with your roles
    GET    /api/campaigns/{name}/queue                  your items with their state, progress, the protocol's guidelines
    POST   /api/campaigns/{name}/next                   the item you hold, else a new claim ({"item": null} when done)
    POST   /api/campaigns/{name}/claim                  claim one more item (a lease that expires)
    GET    /api/campaign-slots/{slot}                   one of your items: rows, document context, suggestions, your spans
    POST   /api/campaign-slots/{slot}/submit            {score?}: finish (or revise) the item
    POST   /api/campaign-slots/{slot}/spans             {item, side?, start, end, severity, category?, comment?}
    POST   /api/campaign-slots/{slot}/suggestions/{i}   {decision: accepted|dismissed}
    PATCH  /api/campaign-spans/{span}                   {version, severity?, category?, comment?}: your own spans only
    DELETE /api/campaign-spans/{span}?version=N
    GET    /api/campaigns/{name}/progress               owner and reviewers: status with quality control
    GET    /api/campaigns/{name}/review                 owner and reviewers: units finished by two or more annotators
    GET    /api/campaigns/{name}/agreement              owner and reviewers: agreement per annotator pair before adjudication
    GET    /api/campaign-units/{unit}/review            the k annotations of a unit side by side, and its gold decisions
    POST   /api/campaign-units/{unit}/decisions         {decision: accept|merge|dismiss, spans: [ids], span?}
"""
from __future__ import annotations

import threading
from pathlib import Path
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from corpus.campaigns.claims import NotInCampaign

from pipelines.campaign import service as campaign_service
from pipelines.serve.auth import is_loopback
from pipelines.serve.service import Forbidden

PAGE = Path(__file__).resolve().parent / "static" / "campaign.html"


def _forbidding(handler):
    """The campaign's own refusals as the server's Forbidden (403)."""
    def wrapped(request, annotator, payload):
        try:
            return handler(request, annotator, payload)
        except (campaign_service.Forbidden, NotInCampaign) as refused:
            raise Forbidden(str(refused)) from None
    return wrapped


def campaign_routes(corpus, endpoint, write_lock: threading.Lock, loopback_only: bool) -> list[Route]:
    """Routes to add to the app; `endpoint(handler, write)` is the app's own request guard and error mapping."""
    service = campaign_service.CampaignService(corpus, write_lock)

    def api(handler, write=False):
        return endpoint(_forbidding(handler), write)

    async def page(request: Request) -> Response:
        host = (urlsplit(f"//{request.headers.get('host', '')}").hostname or "").lower()
        if loopback_only and not is_loopback(host):
            return JSONResponse({"error": "this server only answers requests addressed to the loopback interface"}, status_code=403)
        return FileResponse(PAGE, headers={"cache-control": "no-cache"})

    def mine(request, who, _):
        return {"annotator": who, "campaigns": service.campaigns(who)}, 200

    def queue(request, who, _):
        return service.queue(request.path_params["name"], who), 200

    def next_item(request, who, _):
        return {"item": service.next_item(request.path_params["name"], who)}, 200

    def claim(request, who, _):
        return {"slot": service.claim(request.path_params["name"], who)}, 200

    def item(request, who, _):
        return service.item(request.path_params["slot"], who), 200

    def submit(request, who, payload):
        service.submit(request.path_params["slot"], who, payload)
        return service.item(request.path_params["slot"], who), 200

    def add_span(request, who, payload):
        return service.add_span(request.path_params["slot"], who, payload), 201

    def suggestion(request, who, payload):
        return service.decide_suggestion(request.path_params["slot"], who, request.path_params["index"], payload), 201

    def update_span(request, who, payload):
        return service.update_span(request.path_params["span"], who, payload), 200

    def delete_span(request, who, _):
        return service.delete_span(request.path_params["span"], who, request.query_params.get("version")), 200

    def progress(request, who, _):
        return service.progress(request.path_params["name"], who), 200

    def review(request, who, _):
        return {"units": service.review_units(request.path_params["name"], who)}, 200

    def agreement(request, who, _):
        return service.agreement(request.path_params["name"], who), 200

    def review_unit(request, who, _):
        return service.review_unit(request.path_params["unit"], who), 200

    def decide(request, who, payload):
        return service.decide(request.path_params["unit"], who, payload), 201

    return [
        Route("/campaign", page),
        Route("/api/campaigns", api(mine)),
        Route("/api/campaigns/{name}/queue", api(queue)),
        Route("/api/campaigns/{name}/next", api(next_item, True), methods=["POST"]),
        Route("/api/campaigns/{name}/claim", api(claim, True), methods=["POST"]),
        Route("/api/campaigns/{name}/progress", api(progress)),
        Route("/api/campaigns/{name}/review", api(review)),
        Route("/api/campaigns/{name}/agreement", api(agreement)),
        Route("/api/campaign-slots/{slot}", api(item)),
        Route("/api/campaign-slots/{slot}/submit", api(submit, True), methods=["POST"]),
        Route("/api/campaign-slots/{slot}/spans", api(add_span, True), methods=["POST"]),
        Route("/api/campaign-slots/{slot}/suggestions/{index:int}", api(suggestion, True), methods=["POST"]),
        Route("/api/campaign-spans/{span}", api(update_span, True), methods=["PATCH"]),
        Route("/api/campaign-spans/{span}", api(delete_span, True), methods=["DELETE"]),
        Route("/api/campaign-units/{unit}/review", api(review_unit)),
        Route("/api/campaign-units/{unit}/decisions", api(decide, True), methods=["POST"]),
    ]



