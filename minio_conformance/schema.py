"""Offline schema validation against the targeted Kubernetes version (SCH-1).

Uses the JSON schemas that kubernetes-validate ships (strict: unknown fields are
rejected), so nothing is fetched at test time. An object is judged by its apiVersion:

- a kind the target Kubernetes serves: validated, and every problem is reported;
- a built-in API group (core `v1`, `apps`, `policy`, `storage.k8s.io`, ...) with a kind or
  version the target does not serve (`apps/v1beta1` StatefulSet): a problem at `apiVersion`;
- any other group (a custom resource such as a ServiceMonitor): not validated.

Messages are built from the schema rule and the field path, never from the offending
value, so a Secret's payload cannot leak into a finding.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import jsonschema  # type: ignore[import-untyped]
from referencing import Registry, Resource

from minio_conformance.objects import ref

TARGET_KUBERNETES = "1.34"

# API groups Kubernetes removed entirely before the target version; every group the target
# still knows is read from its schema (`built_in_groups`).
REMOVED_BUILT_IN_GROUPS = frozenset({"settings.k8s.io", "auditregistration.k8s.io"})

_SCHEMAS = "kubernetes-json-schema"
_DEFINITIONS = "_definitions.json"
_API_VERSION = re.compile(r"^(?:[^/\s]+/)?[^/\s]+$")


class Coverage(StrEnum):
    VALIDATED = "validated"
    NOT_SERVED = "not served"  # a built-in API group, but a kind/version the target does not serve
    NOT_VALIDATED = "not validated"  # another API group: no schema to judge it by
    MALFORMED = "malformed"  # apiVersion or kind unusable: nothing to judge it by


@dataclass(frozen=True)
class SchemaProblem:
    """One way an object breaks the schema: where (a field path) and which rule, never the value."""

    object_ref: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.object_ref} {self.path}: {self.message}" if self.path else f"{self.object_ref}: {self.message}"


@dataclass(frozen=True)
class SchemaResult:
    object_ref: str
    api_version: str
    coverage: Coverage
    problems: tuple[SchemaProblem, ...] = ()

    @property
    def valid(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class _Schemas:
    """The schema definitions of one Kubernetes version, indexed by (group, version, kind)."""

    version: str
    id: str
    registry: Registry[Any]
    kinds: Mapping[tuple[str, str, str], str]

    @property
    def groups(self) -> frozenset[str]:
        return frozenset(g for g, _, _ in self.kinds)

    def served(self, group: str, kind: str) -> list[str]:
        """apiVersions in which `group` serves `kind`."""
        return sorted(_api_version(g, v) for g, v, k in self.kinds if g == group and k == kind)


def _api_version(group: str, version: str) -> str:
    return f"{group}/{version}" if group else version


def _unusable(obj: Mapping[str, Any]) -> tuple[str, str] | None:
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    if not isinstance(api_version, str) or not _API_VERSION.match(api_version):
        shown = f" {api_version!r}" if isinstance(api_version, str) else ""
        return "apiVersion", f"must be a string such as v1 or apps/v1, got {_json_type(api_version)}{shown}"
    if not isinstance(kind, str) or not kind:
        return "kind", f"must be a non-empty string, got {_json_type(kind)}"
    return None


def unjudgeable(obj: Mapping[str, Any]) -> str | None:
    """Why an object cannot be judged by its apiVersion and kind at all (None when it can)."""
    unusable = _unusable(obj)
    return None if unusable is None else " ".join(unusable)


def split_api_version(api_version: str) -> tuple[str, str]:
    """(group, version); the core group is ''."""
    group, _, version = api_version.rpartition("/")
    return group, version


def built_in_groups(version: str = TARGET_KUBERNETES) -> frozenset[str]:
    return _schemas(version).groups | REMOVED_BUILT_IN_GROUPS


def validate_object(obj: Mapping[str, Any], version: str = TARGET_KUBERNETES) -> SchemaResult:
    """Judge one object against Kubernetes `version`, collecting every problem."""
    r = ref(obj)
    unusable = _unusable(obj)
    if unusable is not None:
        field, reason = unusable
        return SchemaResult(r, str(obj.get("apiVersion", "")), Coverage.MALFORMED, (SchemaProblem(r, field, reason),))
    api_version, kind = str(obj["apiVersion"]), str(obj["kind"])
    schemas = _schemas(version)
    group, group_version = split_api_version(api_version)
    definition = schemas.kinds.get((group, group_version, kind))
    if definition is None:
        if group.lower() not in built_in_groups(version):
            return SchemaResult(r, api_version, Coverage.NOT_VALIDATED)
        problem = SchemaProblem(r, "apiVersion", _not_served(schemas, group, api_version, kind))
        return SchemaResult(r, api_version, Coverage.NOT_SERVED, (problem,))
    validator = _validator(version, definition)
    problems = sorted(
        {p for error in validator.iter_errors(_plain(obj)) for p in _problems(r, error, version)},
        key=lambda p: (p.path, p.message),
    )
    return SchemaResult(r, api_version, Coverage.VALIDATED, tuple(problems))


def _not_served(schemas: _Schemas, group: str, api_version: str, kind: str) -> str:
    served = schemas.served(group, kind)
    if served:
        return f"{api_version} {kind} is not served by Kubernetes {schemas.version}; use {' or '.join(served)}"
    elsewhere = sorted(_api_version(g, v) for g, v, k in schemas.kinds if k == kind)
    where = f"API group {group}" if group else "the core API"
    hint = f"; {kind} is served as {' or '.join(elsewhere)}" if elsewhere else ""
    return f"Kubernetes {schemas.version} has no kind {kind} in {where} ({api_version}){hint}"


def validate_objects(objects: Iterable[Mapping[str, Any]], version: str = TARGET_KUBERNETES) -> list[SchemaResult]:
    return [validate_object(o, version) for o in objects]


def supported_versions() -> list[str]:
    found = {m[1] for d in _schema_root().iterdir() if (m := re.match(r"^v(\d+\.\d+)\.\d+-local-strict$", d.name))}
    return sorted(found, key=lambda v: tuple(int(n) for n in v.split(".")))


# --- schema loading ------------------------------------------------------------------------


def _schema_root() -> Traversable:
    return resources.files("kubernetes_validate").joinpath(_SCHEMAS)


@cache
def _schemas(version: str) -> _Schemas:
    directory = next(
        (d for d in _schema_root().iterdir() if re.fullmatch(rf"v{re.escape(version)}\.\d+-local-strict", d.name)),
        None,
    )
    if directory is None:
        raise ValueError(f"no Kubernetes {version} schema in kubernetes-validate (it has {supported_versions()})")
    contents = json.loads(directory.joinpath(_DEFINITIONS).read_text(encoding="utf-8"))
    kinds: dict[tuple[str, str, str], str] = {}
    for name, definition in contents["$defs"].items():
        for gvk in definition.get("x-kubernetes-group-version-kind", []):
            # The first definition of a (group, version, kind) is the object's own schema.
            kinds.setdefault((gvk["group"], gvk["version"], gvk["kind"]), name)
    registry: Registry[Any] = Registry().with_resource(contents["$id"], Resource.from_contents(contents))
    return _Schemas(version, contents["$id"], registry, kinds)


@cache
def _validator(version: str, definition: str) -> Any:
    schemas = _schemas(version)
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": f"{schemas.id}#/$defs/{definition}"}
    return jsonschema.Draft202012Validator(schema, registry=schemas.registry)


def _plain(value: Any) -> Any:
    """Mappings and sequences as dicts and lists, which is what jsonschema's type checks expect."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


# --- messages that never carry the offending value -------------------------------------------


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, Sequence):
        return "array"
    return type(value).__name__  # e.g. a YAML timestamp loaded as a date


def _types(schema_type: Any) -> str:
    names = [schema_type] if isinstance(schema_type, str) else list(schema_type)
    shown = [n for n in names if n != "null"] or names
    return " or ".join(shown)


def _field_path(parts: Iterable[Any]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _child(path: str, field: str) -> str:
    return f"{path}.{field}" if path else field


def _problems(object_ref: str, error: Any, version: str) -> Iterator[SchemaProblem]:
    path = _field_path(error.absolute_path)
    rule, expected, schema, instance = error.validator, error.validator_value, error.schema, error.instance
    if rule == "additionalProperties" and expected is False and isinstance(instance, Mapping):
        known = schema.get("properties", {})
        patterns = schema.get("patternProperties", {})
        for field in instance:
            if field not in known and not any(re.search(p, str(field)) for p in patterns):
                yield SchemaProblem(
                    object_ref, _child(path, str(field)), f"unknown field (not in Kubernetes {version})"
                )
        return
    if rule == "required" and isinstance(instance, Mapping):
        for field in expected:
            if field not in instance:
                yield SchemaProblem(object_ref, _child(path, field), "required field is missing")
        return
    yield SchemaProblem(object_ref, path, _describe(rule, expected, error.instance, error.context))


def _describe(rule: str, expected: Any, instance: Any, context: Sequence[Any]) -> str:
    got = _json_type(instance)
    match rule:
        case "type":
            return f"expected {_types(expected)}, got {got}"
        case "oneOf" | "anyOf":
            if rule == "oneOf" and not context:
                return "matches more than one of the allowed forms"
            forms = [_types(s["type"]) for s in expected if isinstance(s, Mapping) and "type" in s]
            return f"expected {' or '.join(forms)}, got {got}" if forms else "matches none of the allowed forms"
        case "enum":
            return f"must be one of {', '.join(map(str, expected))}"
        case "const":
            return f"must be {expected}"
        case "minimum" | "exclusiveMinimum" | "maximum" | "exclusiveMaximum":
            op = {"minimum": ">=", "exclusiveMinimum": ">", "maximum": "<=", "exclusiveMaximum": "<"}[rule]
            return f"must be {op} {expected}"
        case "minLength" | "maxLength":
            return f"must be at {'least' if rule == 'minLength' else 'most'} {expected} characters long"
        case "minItems" | "maxItems":
            return f"must have at {'least' if rule == 'minItems' else 'most'} {expected} items"
        case "minProperties" | "maxProperties":
            return f"must have at {'least' if rule == 'minProperties' else 'most'} {expected} fields"
        case "pattern":
            return f"must match the pattern {expected}"
        case "format":
            return f"must be in {expected} format"
        case "uniqueItems":
            return "items must be unique"
        case _:
            return f"breaks the schema's {rule} rule"
