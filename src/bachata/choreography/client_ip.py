"""Who is asking: the client's address, trusting ``X-Forwarded-For`` only from proxies
this deployment runs (``BACHATA_TRUSTED_PROXIES``)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address for rate limits.

    With no trusted proxy (the default) it is the connection's address and a client's
    own ``X-Forwarded-For`` is ignored; behind N proxies (Cloud Run's front end is one)
    it is the address the outermost of them saw, N entries from the right.
    """
    proxies = settings.TRUSTED_PROXIES
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    return hops[-proxies] if len(hops) >= proxies else (hops[0] if hops else remote)
