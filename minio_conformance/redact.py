"""Removing credentials from anything that may reach a report, a log or evidence (SEC-5)."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Mapping
from typing import Any

from minio_conformance.manifests import dump_documents

REDACTED = "<redacted>"
_CREDENTIAL_NAME = re.compile(r"(ROOT_USER|ROOT_PASSWORD|ACCESS_KEY|SECRET_KEY|PASSWORD|SECRET|TOKEN)", re.I)


class Redactor:
    """Masks known credential values (plain and base64) and Secret payloads.

    Values shorter than 4 characters are not masked as substrings: they would erase
    ordinary text and hide nothing worth hiding.
    """

    def __init__(self, credentials: Iterable[str] = ()) -> None:
        self._values: set[str] = set()
        for value in credentials:
            self.add(value)

    def add(self, value: str) -> None:
        if value and len(value) >= 4:
            self._values.add(value)
            self._values.add(base64.b64encode(value.encode()).decode())

    @property
    def known(self) -> frozenset[str]:
        return frozenset(self._values)

    def text(self, text: str) -> str:
        for value in sorted(self._values, key=len, reverse=True):
            text = text.replace(value, REDACTED)
        return text

    def obj(self, obj: Any) -> Any:
        """A deep copy of a Kubernetes object (or any nested value) with credentials masked."""
        if isinstance(obj, Mapping):
            out: dict[str, Any] = {}
            is_secret = obj.get("kind") == "Secret"
            for key, value in obj.items():
                if is_secret and key in ("data", "stringData") and isinstance(value, Mapping):
                    out[key] = {k: REDACTED for k in value}
                elif key == "env" and isinstance(value, list):
                    out[key] = [self._env(e) for e in value]
                elif key == "metadata" and isinstance(value, Mapping):
                    out[key] = self._metadata(value)
                else:
                    out[key] = self.obj(value)
            return out
        if isinstance(obj, list | tuple):
            return [self.obj(v) for v in obj]
        if isinstance(obj, str):
            return self.text(obj)
        return obj

    def _env(self, entry: Any) -> Any:
        if isinstance(entry, Mapping) and "value" in entry and _CREDENTIAL_NAME.search(str(entry.get("name", ""))):
            return {**self.obj(entry), "value": REDACTED}
        return self.obj(entry)

    def _metadata(self, meta: Mapping[str, Any]) -> dict[str, Any]:
        out = self.obj(dict(meta))
        # kubectl apply keeps the whole applied object, Secret payload included, here.
        annotations = out.get("annotations")
        if isinstance(annotations, dict) and "kubectl.kubernetes.io/last-applied-configuration" in annotations:
            annotations["kubectl.kubernetes.io/last-applied-configuration"] = REDACTED
        return dict(out)

    def yaml(self, objects: Iterable[Mapping[str, Any]]) -> str:
        return self.text(dump_documents(self.obj(o) for o in objects))
