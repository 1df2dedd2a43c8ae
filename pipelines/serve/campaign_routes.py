"""The campaign part of `calque serve`: JSON routes over pipelines.campaign.service.CampaignService and the
campaign pages (annotator queue and item, owner's progress, reviewer's adjudication).

    GET    /campaign                                    the campaign UI (static page; #campaign=NAME&token=…)
    GET    /api/campaigns                               the campaigns you take part in, with your roles
    GET    /api/campaigns/{name}/queue                  your items with their state, progress, the protocol's guidelines
    POST   /api/campaigns/{name}/next                   the item you hold, else a new claim ({"item": null} when done)
    POST   /api/campaigns/{name}/claim                  the slot you hold, else a new claim (a lease that expires)
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
    POST   /api/campaign-units/{unit}/decisions         {decision: accept|merge|dismiss, spans: [ids], span?}; a span once

A campaign's sign-in link (`calque campaign tokens`) opens these routes for that campaign only: every route
names the campaign it touches (by name, or through its slot, span or unit), and any other is refused (403).
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
from pipelines.serve.auth import Identity, is_loopback
from pipelines.serve.service import Forbidden

PAGE = Path(__file__).resolve().parent / "static" / "campaign.html"


def _scoped(handler, campaign_of):
    """The handler for the person behind the Identity, once a campaign token is seen to open the campaign the
    route touches (`campaign_of(request)`; None for the list of your campaigns, which shows that one only);
    the campaign's own refusals become the server's Forbidden (403)."""
    def wrapped(request, identity: Identity, payload):
        try:
            if identity.campaign is not None and campaign_of is not None and campaign_of(request) != identity.campaign:
                raise Forbidden(f"this sign-in link opens campaign {identity.campaign!r} only")
            return handler(request, identity, payload)
        except (campaign_service.Forbidden, NotInCampaign) as refused:
            raise Forbidden(str(refused)) from None
    return wrapped


def campaign_routes(corpus, endpoint, write_lock: threading.Lock, loopback_only: bool) -> list[Route]:
    """Routes to add to the app; `endpoint(handler, write, campaign_route)` is the app's own request guard and
    error mapping, which hands campaign routes the Identity of the request."""
    service = campaign_service.CampaignService(corpus, write_lock)

    def by_name(request):
        return request.path_params["name"]

    def by_row(kind: str, parameter: str):
        return lambda request: service.store.campaign_of(kind, request.path_params[parameter])

    by_slot, by_span, by_unit = by_row("slot", "slot"), by_row("span", "span"), by_row("unit", "unit")

    def api(handler, campaign_of, write=False):
        return endpoint(_scoped(handler, campaign_of), write, campaign_route=True)

    async def page(request: Request) -> Response:
        host = (urlsplit(f"//{request.headers.get('host', '')}").hostname or "").lower()
        if loopback_only and not is_loopback(host):
            return JSONResponse({"error": "this server only answers requests addressed to the loopback interface"}, status_code=403)
        return FileResponse(PAGE, headers={"cache-control": "no-cache"})

    def mine(request, who, _):
        return {"annotator": who.name, "campaigns": service.campaigns(who.name, only=who.campaign)}, 200

    def queue(request, who, _):
        return service.queue(request.path_params["name"], who.name), 200

    def next_item(request, who, _):
        return {"item": service.next_item(request.path_params["name"], who.name)}, 200

    def claim(request, who, _):
        return {"slot": service.claim(request.path_params["name"], who.name)}, 200

    def item(request, who, _):
        return service.item(request.path_params["slot"], who.name), 200

    def submit(request, who, payload):
        service.submit(request.path_params["slot"], who.name, payload)
        return service.item(request.path_params["slot"], who.name), 200

    def add_span(request, who, payload):
        return service.add_span(request.path_params["slot"], who.name, payload), 201

    def suggestion(request, who, payload):
        return service.decide_suggestion(request.path_params["slot"], who.name, request.path_params["index"], payload), 201

    def update_span(request, who, payload):
        return service.update_span(request.path_params["span"], who.name, payload), 200

    def delete_span(request, who, _):
        return service.delete_span(request.path_params["span"], who.name, request.query_params.get("version")), 200

    def progress(request, who, _):
        return service.progress(request.path_params["name"], who.name), 200

    def review(request, who, _):
        return {"units": service.review_units(request.path_params["name"], who.name)}, 200

    def agreement(request, who, _):
        return service.agreement(request.path_params["name"], who.name), 200

    def review_unit(request, who, _):
        return service.review_unit(request.path_params["unit"], who.name), 200

    def decide(request, who, payload):
        return service.decide(request.path_params["unit"], who.name, payload), 201

    return [
        Route("/campaign", page),
        Route("/api/campaigns", api(mine, None)),
        Route("/api/campaigns/{name}/queue", api(queue, by_name)),
        Route("/api/campaigns/{name}/next", api(next_item, by_name, True), methods=["POST"]),
        Route("/api/campaigns/{name}/claim", api(claim, by_name, True), methods=["POST"]),
        Route("/api/campaigns/{name}/progress", api(progress, by_name)),
        Route("/api/campaigns/{name}/review", api(review, by_name)),
        Route("/api/campaigns/{name}/agreement", api(agreement, by_name)),
        Route("/api/campaign-slots/{slot}", api(item, by_slot)),
        Route("/api/campaign-slots/{slot}/submit", api(submit, by_slot, True), methods=["POST"]),
        Route("/api/campaign-slots/{slot}/spans", api(add_span, by_slot, True), methods=["POST"]),
        Route("/api/campaign-slots/{slot}/suggestions/{index:int}", api(suggestion, by_slot, True), methods=["POST"]),
        Route("/api/campaign-spans/{span}", api(update_span, by_span, True), methods=["PATCH"]),
        Route("/api/campaign-spans/{span}", api(delete_span, by_span, True), methods=["DELETE"]),
        Route("/api/campaign-units/{unit}/review", api(review_unit, by_unit)),
        Route("/api/campaign-units/{unit}/decisions", api(decide, by_unit, True), methods=["POST"]),
    ]
