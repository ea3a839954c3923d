"""SEC-5: credentials never reach evidence, and the check that says so can fail."""

from __future__ import annotations

import base64
import json

from minio_conformance.checks.credentials import credentials_absent
from minio_conformance.kindnodes import kind_nodes
from minio_conformance.manifests import ManifestSet, dump_documents
from minio_conformance.redact import REDACTED, Redactor
from minio_conformance.render import Credentials, render

PLANTED = Credentials("planted-user-7f3a", "planted-secret-9c1e-XYZ")


def test_redactor_masks_secret_payloads_literals_and_base64(documented: ManifestSet) -> None:
    objects = render(documented, kind_nodes(4), PLANTED).objects
    live_secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {
            "name": "s",
            "annotations": {
                "kubectl.kubernetes.io/last-applied-configuration": json.dumps(
                    {"stringData": {"secretkey": PLANTED.secret_key}}
                )
            },
        },
        "data": {"secretkey": base64.b64encode(PLANTED.secret_key.encode()).decode()},
    }
    log_line = f"login with {PLANTED.access_key} / {PLANTED.secret_key}"
    redactor = Redactor(PLANTED.values())
    texts = {"objects": redactor.yaml([*objects, live_secret]), "log": redactor.text(log_line)}
    assert credentials_absent(texts, [*PLANTED.values(), base64.b64encode(PLANTED.secret_key.encode()).decode()]).passed
    assert REDACTED in texts["objects"]
    assert REDACTED in texts["log"]


def test_check_fails_when_redaction_is_skipped(documented: ManifestSet) -> None:
    """The broken variant for SEC-5: evidence written without the redactor."""
    objects = render(documented, kind_nodes(1), PLANTED).objects
    verdict = credentials_absent({"objects": dump_documents(objects)}, PLANTED.values())
    assert not verdict.passed
    assert verdict.requirement == "SEC-5"


def test_env_literals_with_credential_names_are_masked_even_if_unknown() -> None:
    obj = {
        "kind": "Pod",
        "spec": {
            "containers": [
                {
                    "name": "c",
                    "env": [
                        {"name": "MINIO_ROOT_PASSWORD", "value": "never-seen-before"},
                        {"name": "TZ", "value": "UTC"},
                    ],
                }
            ]
        },
    }
    out = Redactor().obj(obj)
    assert out["spec"]["containers"][0]["env"] == [
        {"name": "MINIO_ROOT_PASSWORD", "value": REDACTED},
        {"name": "TZ", "value": "UTC"},
    ]
