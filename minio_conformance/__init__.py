"""Pure logic of the MinIO-on-Kubernetes conformance suite.

Nothing in this package talks to a cluster, an S3 endpoint or a subprocess: the
checks are functions over plain Kubernetes objects (dicts) so the same code runs on
rendered manifests, on objects read back from a live cluster, and on recordings.
"""

__version__ = "0.1.0"
