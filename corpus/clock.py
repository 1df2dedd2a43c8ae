"""Timestamps and ids shared by every writer."""
from __future__ import annotations

import getpass
import hashlib
import os
import uuid
from datetime import datetime, timezone


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def current_actor() -> str:
    """Who is making a change: CALQUE_USER, else the login name."""
    try:
        return os.environ.get("CALQUE_USER") or getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:16]}"


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()
