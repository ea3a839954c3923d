"""MinIO's Prometheus bearer token, as `mc admin prometheus generate` makes it.

A JWT (HS512) whose subject is the access key, issuer "prometheus", signed with the
secret key. Pure: the clock is an argument.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def prometheus_token(access_key: str, secret_key: str, now: int, ttl_seconds: int = 3600) -> str:
    header = _b64url(json.dumps({"alg": "HS512", "typ": "JWT"}, separators=(",", ":")).encode())
    claims = {"exp": now + ttl_seconds, "sub": access_key, "iss": "prometheus"}
    payload = _b64url(json.dumps(claims, separators=(",", ":")).encode())
    signature = hmac.new(secret_key.encode(), f"{header}.{payload}".encode(), hashlib.sha512).digest()
    return f"{header}.{payload}.{_b64url(signature)}"
