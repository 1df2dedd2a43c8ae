"""Who is annotating: the binding policy and the annotator tokens kept in the corpus directory.

On a loopback address the server trusts its user (`--annotator NAME`); bound to any other address every
API request needs `Authorization: Bearer <token>`, and each token names one annotator. A token opens the
whole corpus (`calque serve token add`) or one campaign only (the sign-in links of `calque campaign
tokens`): a campaign token reaches that campaign's routes and nothing else. Tokens are random (256 bits),
so a SHA-256 digest is all the file needs to store; the token itself is shown once.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from corpus.atomic import atomic_write
from corpus.clock import utc_now
from corpus.errors import CalqueError, ConflictError, NotFoundError
from corpus.people import check_person_name

TOKENS_FILE = "serve_tokens.json"


class Unauthorized(CalqueError):
    """A request without a valid token where one is needed."""


def is_loopback(host: str) -> bool:
    host = host.strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def tokens_required(host: str) -> bool:
    """Any address but loopback can be reached by others, so there every request must carry a token."""
    return not is_loopback(host)


@dataclass(frozen=True)
class Identity:
    """Who a request acts as, and what their token opens: the whole corpus (campaign None) or one campaign."""

    name: str
    campaign: str | None = None


def _digest(token: str) -> str:
    return "sha256:" + hashlib.sha256(token.encode("utf-8")).hexdigest()


class TokenStore:
    """corpus-dir/serve_tokens.json: {"tokens": [{"annotator", "digest", "created_at", "campaign"?}]}, written
    atomically. An entry without "campaign" opens the whole corpus; a person holds at most one token per scope."""

    def __init__(self, corpus_dir: str | os.PathLike):
        self.path = Path(corpus_dir) / TOKENS_FILE
        self._cache: tuple[float, list[dict]] | None = None

    def entries(self) -> list[dict]:
        """The stored tokens, re-read whenever the file changes (a revoked token stops working at once)."""
        try:
            mtime = self.path.stat().st_mtime_ns
        except FileNotFoundError:
            return []
        if self._cache is None or self._cache[0] != mtime:
            try:
                data = json.loads(self.path.read_text("utf-8"))
                entries = [e for e in data["tokens"] if isinstance(e, dict) and "annotator" in e and "digest" in e]
            except (OSError, ValueError, KeyError, TypeError) as error:
                raise CalqueError(f"{self.path}: unreadable token file ({error})") from None
            self._cache = (mtime, entries)
        return self._cache[1]

    def _write(self, entries: list[dict]) -> None:
        with atomic_write(self.path, private=True) as stream:  # token hashes: owner only
            json.dump({"format": "calque-serve-tokens", "tokens": entries}, stream, indent=2, ensure_ascii=False)
        self._cache = None

    @staticmethod
    def _scope(campaign: str | None) -> str:
        return "the whole corpus" if campaign is None else f"campaign {campaign!r}"

    def holds(self, annotator: str, campaign: str | None = None) -> bool:
        return any(e["annotator"] == annotator and e.get("campaign") == campaign for e in self.entries())

    def add(self, annotator: str, campaign: str | None = None) -> str:
        """A new token for annotator, opening one campaign or (campaign None) the whole corpus; returned once,
        never stored in clear."""
        check_person_name(annotator)
        if self.holds(annotator, campaign):
            raise ConflictError(f"annotator {annotator!r} already has a token for {self._scope(campaign)} (revoke it first)")
        token = secrets.token_urlsafe(32)
        entry = {"annotator": annotator, "digest": _digest(token), "created_at": utc_now()}
        if campaign is not None:
            entry["campaign"] = campaign
        self._write([*self.entries(), entry])
        return token

    def revoke(self, annotator: str, campaign: str | None = None) -> None:
        """Revoke the annotator's token for one scope; their tokens for other campaigns keep working."""
        entries = self.entries()
        kept = [e for e in entries if not (e["annotator"] == annotator and e.get("campaign") == campaign)]
        if len(kept) == len(entries):
            raise NotFoundError(f"no token for annotator {annotator!r} on {self._scope(campaign)}")
        self._write(kept)

    def revoke_all(self, annotator: str) -> int:
        """Revoke every token of the annotator (the whole corpus and every campaign); how many there were."""
        entries = self.entries()
        kept = [e for e in entries if e["annotator"] != annotator]
        if len(kept) == len(entries):
            raise NotFoundError(f"no token for annotator {annotator!r}")
        self._write(kept)
        return len(entries) - len(kept)

    def identity_for(self, token: str) -> Identity | None:
        digest = _digest(token)
        found = None
        for entry in self.entries():
            if hmac.compare_digest(entry["digest"], digest):
                found = Identity(entry["annotator"], entry.get("campaign"))
        return found

    def annotator_for(self, token: str) -> str | None:
        identity = self.identity_for(token)
        return identity.name if identity else None


@dataclass(frozen=True)
class AccessPolicy:
    """How requests are attributed: tokens when required or offered, else the local annotator."""

    tokens: TokenStore
    require_tokens: bool
    local_annotator: str | None

    @classmethod
    def for_binding(cls, host: str, tokens: TokenStore, local_annotator: str | None) -> "AccessPolicy":
        required = tokens_required(host)
        if required and not tokens.entries():
            raise CalqueError(
                f"refusing to serve on {host}: other machines could reach it and no annotator tokens exist "
                f"(create one with `calque serve token add NAME`)"
            )
        return cls(tokens, required, None if required else check_person_name(local_annotator))

    def identify(self, authorization: str | None) -> Identity:
        """Who a request acts as; Unauthorized when it carries no valid token where one is needed. The local
        annotator of a loopback server opens the whole corpus."""
        if authorization:
            scheme, _, token = authorization.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise Unauthorized("Authorization must be 'Bearer <token>'")
            identity = self.tokens.identity_for(token.strip())
            if identity is None:
                raise Unauthorized("unknown or revoked token")
            return identity
        if self.require_tokens or self.local_annotator is None:
            raise Unauthorized("this server needs an annotator token (Authorization: Bearer <token>)")
        return Identity(self.local_annotator)
