"""Loading manifests with positions and limits, and the team's gate configuration."""

from minio_conformance.load.documents import DEFAULT_LIMITS, Limits, LoadError, Mark, Positions, parse_documents

__all__ = ["DEFAULT_LIMITS", "Limits", "LoadError", "Mark", "Positions", "parse_documents"]
