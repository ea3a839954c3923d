"""The names a deployment gives its objects: the documented ones (000), or a team's own.

A team states its names in the gate's config file (`minio_conformance/load/config.py`); every
check reads them from here, so a renamed object is judged under its own name instead of being
reported missing by every requirement that looks at it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from minio_conformance.objects import NAMESPACE


@dataclass(frozen=True)
class Names:
    namespace: str = NAMESPACE
    statefulset: str = "minio"
    container: str = "minio"
    headless_service: str = "minio-headless"
    secret: str = "minio-credentials"
    secret_user_key: str = "accesskey"
    secret_password_key: str = "secretkey"
    storage_class: str = "minio-local-storage"
    storage_prep: str = "minio-storage-prep"
    api_node_port: int = 30900
    console_node_port: int = 30901

    @property
    def node_ports(self) -> dict[int, int]:
        """Container port -> nodePort (000 §7)."""
        return {9000: self.api_node_port, 9001: self.console_node_port}

    @property
    def secret_keys(self) -> dict[str, str]:
        """MinIO's root-credential variables -> the Secret key each must come from."""
        return {"MINIO_ROOT_USER": self.secret_user_key, "MINIO_ROOT_PASSWORD": self.secret_password_key}

    def pod_host(self, index: int | str, namespace: str | None = None, service: str | None = None) -> str:
        return (
            f"{self.statefulset}-{index}.{service or self.headless_service}.{namespace or self.namespace}"
            ".svc.cluster.local"
        )

    def changed(self) -> dict[str, tuple[object, object]]:
        """Every name that differs from the documented one: field -> (documented, this)."""
        documented = DOCUMENTED
        return {
            f.name: (getattr(documented, f.name), getattr(self, f.name))
            for f in fields(self)
            if getattr(self, f.name) != getattr(documented, f.name)
        }


DOCUMENTED = Names()
NAME_FIELDS = tuple(f.name for f in fields(Names))
