"""The shape of a results record (`--minio-results`, written by fixtures/results.py), checked before use.

Pure: `check_record` takes parsed JSON and raises `RecordError` with one line naming the
first problem, so the report is built only from records whose every field has the type
the model expects. The verdict of a test travels as data (`verdicts`), never as text (a waiver
too: `waived_reason`, on a not-applicable verdict only, so a waived requirement never reads passed;
and a requirement that could not be observed, the deployment having not come up: `not_evaluated`,
a boolean, true on a not-applicable verdict only). The deploy record's `failed_step` (the step that
failed, its requirement IDs, its message and evidence) is checked leniently: each key typed when present. Test
properties are free-form, except `upgrade` (the upgrade scenario's record, which the page's
upgrade section and the verdict read): it is checked like the rest, lists bounded.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from minio_conformance.verdict import Status as VerdictStatus

OUTCOMES = frozenset({"passed", "failed", "skipped", "error", "xfailed", "xpassed"})
VERDICT_STATUSES = frozenset(s.value for s in VerdictStatus)
MAX_DEPTH = 64  # a record nests about 8 deep; evidence objects a few more
MAX_SECONDS = 1e7  # any duration or timestamp offset beyond ~4 months is not a measurement

_TOP_STRINGS = ("started", "finished", "markers", "manifests")
_DEPLOY_LISTS_OF_STR = ("nodes", "schedulable")
_DEPLOY_MAPPINGS = ("steps", "preflight", "clean", "images", "node_mapping", "names")

UPGRADE_PROPERTY = "upgrade"  # the UPG-4 test's record of the upgrade scenario (fixtures/upgrade.py report_data)
MAX_UPGRADE_DIRECTIONS = 8  # the scenario records two: upgrade, rollback
MAX_UPGRADE_PODS = 256
MAX_UPGRADE_PHASES = 8  # before, rollout, after
MAX_FAILED_ATTEMPTS = 5000  # the fixture keeps at most 500 per direction
MAX_PROOF_HEADS = 64
MAX_UPGRADE_TIMINGS = 64


class RecordError(ValueError):
    """A results record that cannot be judged; the message is one line."""


def depth_of(value: Any, limit: int) -> int:
    """Nesting depth of a parsed JSON value, counted without recursion; stops counting past `limit`."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        if isinstance(item, Mapping):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return deepest


def _type(value: Any) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def is_number(value: Any) -> bool:
    """A finite JSON number (bools are not numbers; integers too large for a float are not either)."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


_MISSING: Any = object()  # a required key that is not there (`raw.get(key, _MISSING)`)


def _want(where: str, key: str, value: Any, expected: str) -> RecordError:
    if value is _MISSING:
        return RecordError(f"{where}: '{key}' is missing (must be {expected})")
    return RecordError(f"{where}: '{key}' must be {expected}, not {_type(value)}")


def _check_str_list(where: str, key: str, value: Any) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _want(where, key, value, "an array of strings")


def check_verdict(where: str, raw: Any) -> None:
    if not isinstance(raw, Mapping):
        raise RecordError(f"{where}: a verdict must be an object, not {_type(raw)}")
    requirement = raw.get("requirement")
    if not isinstance(requirement, str) or not requirement:
        raise _want(where, "requirement", requirement, "a non-empty string")
    status = raw.get("status")
    if not isinstance(status, str) or status not in VERDICT_STATUSES:
        raise RecordError(f"{where}: 'status' must be one of {', '.join(sorted(VERDICT_STATUSES))}")
    findings = raw.get("findings", [])
    if not isinstance(findings, list):
        raise _want(where, "findings", findings, "an array")
    for i, finding in enumerate(findings):
        if not isinstance(finding, Mapping):
            raise RecordError(f"{where}: finding #{i} must be an object, not {_type(finding)}")
        for key in ("message", "object_ref", "path"):
            if key in finding and not isinstance(finding[key], str):
                raise _want(f"{where} finding #{i}", key, finding[key], "a string")
    _check_str_list(where, "notes", raw.get("notes", []))
    reason = raw.get("not_applicable_reason")
    if reason is not None and not isinstance(reason, str):
        raise _want(where, "not_applicable_reason", reason, "a string or null")
    waived = raw.get("waived_reason")
    if waived is not None and (not isinstance(waived, str) or not waived.strip()):
        raise _want(where, "waived_reason", waived, "a non-empty string or null")
    if waived is not None and status != VerdictStatus.NOT_APPLICABLE.value:
        raise RecordError(f"{where}: a waived verdict ('waived_reason') must be not_applicable, not {status}")
    if "not_evaluated" in raw:
        unobserved = raw["not_evaluated"]
        if not isinstance(unobserved, bool):
            raise _want(where, "not_evaluated", unobserved, "a boolean")
        if unobserved and status != VerdictStatus.NOT_APPLICABLE.value:
            raise RecordError(
                f"{where}: a not-evaluated verdict ('not_evaluated') must be not_applicable, not {status}"
            )


def check_test(index: int, raw: Any) -> str:
    """Check one test entry; returns its nodeid."""
    where = f"test #{index}"
    if not isinstance(raw, Mapping):
        raise RecordError(f"{where} must be an object, not {_type(raw)}")
    nodeid = raw.get("nodeid")
    if not isinstance(nodeid, str) or not nodeid.strip():
        raise _want(where, "nodeid", nodeid, "a non-empty string")
    outcome = raw.get("outcome")
    if not isinstance(outcome, str) or outcome not in OUTCOMES:
        shown = repr(outcome)[:40] if isinstance(outcome, str) else _type(outcome)
        raise RecordError(f"{where}: 'outcome' is {shown}, expected one of {', '.join(sorted(OUTCOMES))}")
    duration = raw.get("duration")
    if not isinstance(duration, int | float) or not is_number(duration) or not 0 <= duration <= MAX_SECONDS:
        raise _want(where, "duration", duration, f"a number of seconds from 0 to {MAX_SECONDS:.0e}")
    _check_str_list(where, "requirements", raw.get("requirements"))
    for key in ("properties", "evidence"):
        if key in raw and not isinstance(raw[key], Mapping):
            raise _want(where, key, raw[key], "an object")
    evidence = raw.get("evidence") or {}
    if not all(isinstance(v, str) for v in evidence.values()):
        raise RecordError(f"{where}: every 'evidence' value must be a string")
    if "message" in raw and not isinstance(raw["message"], str):
        raise _want(where, "message", raw["message"], "a string")
    properties = raw.get("properties") or {}
    if UPGRADE_PROPERTY in properties:
        check_upgrade(f"{where} property '{UPGRADE_PROPERTY}'", properties[UPGRADE_PROPERTY])
    verdicts = raw.get("verdicts", [])
    if not isinstance(verdicts, list):
        raise _want(where, "verdicts", verdicts, "an array")
    for i, verdict in enumerate(verdicts):
        check_verdict(f"{where} verdict #{i}", verdict)
    return nodeid


def _object(where: str, key: str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _want(where, key, value, "an object")
    return value


def _array(where: str, key: str, value: Any, limit: int) -> list[Any]:
    if not isinstance(value, list):
        raise _want(where, key, value, "an array")
    if len(value) > limit:
        raise RecordError(f"{where}: '{key}' holds {len(value)} entries, more than the {limit} read at most")
    return value


def _seconds(where: str, key: str, value: Any, *, optional: bool = True, low: float = -MAX_SECONDS) -> None:
    """A number of seconds in [low, MAX_SECONDS] (null allowed when optional)."""
    if value is None and optional:
        return
    if not is_number(value) or not low <= value <= MAX_SECONDS:
        nullable = " or null" if optional else ""
        raise _want(where, key, value, f"a number of seconds from {low:g} to {MAX_SECONDS:g}{nullable}")


def _count(where: str, key: str, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 1 << 53:
        raise _want(where, key, value, "a count (an integer from 0)")
    return value


def _string(where: str, key: str, value: Any, *, optional: bool = False, nullable: bool = False) -> None:
    if value is None and nullable:
        return
    if not isinstance(value, str) or (not optional and not value):
        expected = "a string" if optional else "a non-empty string"
        raise _want(where, key, value, expected + (" or null" if nullable else ""))


def _check_op_stats(where: str, raw: Any) -> None:
    stats = _object(where, "stats", raw)
    attempts = _count(where, "attempts", stats.get("attempts", _MISSING))
    succeeded = _count(where, "succeeded", stats.get("succeeded", _MISSING))
    if succeeded > attempts:
        raise RecordError(f"{where}: 'succeeded' ({succeeded}) is more than 'attempts' ({attempts})")
    ratio = stats.get("success ratio")
    if ratio is not None and (not is_number(ratio) or not 0 <= ratio <= 1):
        raise _want(where, "success ratio", ratio, "a number from 0 to 1 or null")
    _seconds(where, "longest gap s", stats.get("longest gap s", _MISSING), optional=False, low=0)


def _check_direction(where: str, raw: Any) -> None:
    direction = _object(where, "direction", raw)
    _string(where, "direction", direction.get("direction", _MISSING))
    if not isinstance(direction.get("accepted"), bool):
        raise _want(where, "accepted", direction.get("accepted", _MISSING), "a boolean")
    for key in ("from revision", "to revision"):
        _string(where, key, direction.get(key), optional=True, nullable=True)
    _seconds(where, "rollout end s", direction.get("rollout end s"))
    replacements = _object(where, "replacements", direction.get("replacements", {}))
    if len(replacements) > MAX_UPGRADE_PODS:
        raise RecordError(f"{where}: 'replacements' names {len(replacements)} pods, more than {MAX_UPGRADE_PODS}")
    for pod, times in replacements.items():
        at = f"{where} replacements[{pod[:60]!r}]"
        times = _object(at, "replacement", times)
        for key in ("down s", "up s"):
            _seconds(at, key, times.get(key))
    failed = _array(where, "failed attempts", direction.get("failed attempts", []), MAX_FAILED_ATTEMPTS)
    for i, attempt in enumerate(failed):
        at = f"{where} failed attempts[{i}]"
        if not isinstance(attempt, list) or len(attempt) != 4:
            raise RecordError(f"{at}: must be an array [t, op, outcome, seconds], not {_type(attempt)}")
        t, op, result, took = attempt
        _seconds(at, "t", t, optional=False)
        _string(at, "op", op)
        _string(at, "outcome", result)
        _seconds(at, "seconds", took, optional=False, low=0)
    phases = _object(where, "phases", direction.get("phases", _MISSING))
    if len(phases) > MAX_UPGRADE_PHASES:
        raise RecordError(f"{where}: 'phases' names {len(phases)} phases, more than {MAX_UPGRADE_PHASES}")
    for label, phase in phases.items():
        at = f"{where} phases[{label[:40]!r}]"
        phase = _object(at, "phase", phase)
        window = phase.get("window s")
        if window is not None:
            window = _object(at, "window s", window)
            for key in ("from", "to"):
                _seconds(f"{at} window s", key, window.get(key, _MISSING), optional=False)
        for op in ("read", "write"):
            if op in phase:
                _check_op_stats(f"{at} {op}", phase[op])


def _check_proof_head(where: str, raw: Any) -> None:
    head = _object(where, "proof head", raw)
    _string(where, "head", head.get("head", _MISSING))
    _string(where, "must be caught by", head.get("must be caught by", _MISSING))
    if not isinstance(head.get("caught"), bool):
        raise _want(where, "caught", head.get("caught", _MISSING), "a boolean")
    for key in ("description", "first finding"):
        if key in head:
            _string(where, key, head[key], optional=True)
    _seconds(where, "seconds", head.get("seconds"), low=0)


def check_upgrade(where: str, raw: Any) -> None:
    """The upgrade scenario's record (fixtures/upgrade.py `UpgradeRun.report_data`), as the report reads it.

    Required: `digests` (base, head), `directions` and `proof heads`; everything else the
    report shows is typed when present. Lists are bounded; unknown keys are allowed.
    """
    data = _object(where, UPGRADE_PROPERTY, raw)
    digests = _object(where, "digests", data.get("digests", _MISSING))
    for key in ("base", "head"):
        _string(f"{where} digests", key, digests.get(key, _MISSING))
    for key in ("base", "diff"):
        if key in data:
            _string(where, key, data[key], optional=True)
    if "proof heads not run" in data:  # null when the heads ran
        _string(where, "proof heads not run", data["proof heads not run"], nullable=True)
    for key in ("objects written under the base", "largest object bytes"):
        if key in data:
            _count(where, key, data[key])
    timings = _object(where, "timings s", data.get("timings s", {}))
    if len(timings) > MAX_UPGRADE_TIMINGS:
        raise RecordError(f"{where}: 'timings s' holds {len(timings)} entries, more than {MAX_UPGRADE_TIMINGS}")
    for key, value in timings.items():
        _seconds(f"{where} timings s", key[:60], value, low=0)
    directions = _array(where, "directions", data.get("directions", _MISSING), MAX_UPGRADE_DIRECTIONS)
    for i, direction in enumerate(directions):
        _check_direction(f"{where} directions[{i}]", direction)
    heads = _array(where, "proof heads", data.get("proof heads", _MISSING), MAX_PROOF_HEADS)
    for i, head in enumerate(heads):
        _check_proof_head(f"{where} proof heads[{i}]", head)


MAX_FAILED_STEP_IDS = 64  # a step maps to a handful of requirement IDs (fixtures/deploy.py STEP_REQUIREMENTS)


def check_failed_step(where: str, raw: Any) -> None:
    """The deploy record's `failed_step` (fixtures/deploy.py `step_failure`), leniently: every key is
    optional, but `step` and `message` are strings, `requirements` an array of strings (bounded) and
    `evidence` an object of strings when present; unknown keys are allowed."""
    step = _object(where, "failed_step", raw)
    at = f"{where} failed_step"
    for key in ("step", "message"):
        if step.get(key) is not None:
            _string(at, key, step[key], optional=True)
    if step.get("requirements") is not None:
        ids = _array(at, "requirements", step["requirements"], MAX_FAILED_STEP_IDS)
        _check_str_list(at, "requirements", ids)
    if step.get("evidence") is not None:
        evidence = _object(at, "evidence", step["evidence"])
        if not all(isinstance(v, str) for v in evidence.values()):
            raise RecordError(f"{at}: every 'evidence' value must be a string")


def _check_deploy(deploy: Any) -> None:
    if not isinstance(deploy, Mapping):
        raise _want("record", "deploy", deploy, "an object or null")
    for key in _DEPLOY_LISTS_OF_STR:
        if deploy.get(key) is not None:
            _check_str_list("deploy", key, deploy[key])
    for key in _DEPLOY_MAPPINGS:
        if deploy.get(key) is not None and not isinstance(deploy[key], Mapping):
            raise _want("deploy", key, deploy[key], "an object")
    pods = deploy.get("pods")
    if pods is not None and (not isinstance(pods, list) or not all(isinstance(p, Mapping) for p in pods)):
        raise _want("deploy", "pods", pods, "an array of objects")
    for key in ("replicas", "statefulset_applied_at", "all_ready_after_s"):
        value = deploy.get(key)
        if value is not None and not is_number(value):
            raise _want("deploy", key, value, "a number")
    for key in ("cluster", "error"):
        value = deploy.get(key)
        if value is not None and not isinstance(value, str):
            raise _want("deploy", key, value, "a string")
    if deploy.get("failed_step") is not None:
        check_failed_step("deploy", deploy["failed_step"])


def check_record(data: Any) -> None:
    """Raise RecordError unless `data` is a results record with at least one well-formed test."""
    if depth_of(data, MAX_DEPTH) > MAX_DEPTH:
        raise RecordError(f"nested deeper than {MAX_DEPTH} levels; not a results record")
    if not isinstance(data, Mapping):
        raise RecordError(
            f"not a results record (a JSON {_type(data)}, not an object); was it written by --minio-results?"
        )
    tests = data.get("tests")
    if not isinstance(tests, list):
        raise RecordError("not a results record (no 'tests' array); was it written by --minio-results?")
    if not tests:
        raise RecordError("holds no test results ('tests' is empty)")
    for key in _TOP_STRINGS:
        if data.get(key) is not None and not isinstance(data[key], str):
            raise _want("record", key, data[key], "a string")
    status = data.get("exit status")
    if status is not None and (not isinstance(status, int) or isinstance(status, bool)):
        raise _want("record", "exit status", status, "an integer")
    counts = data.get("node counts")
    if counts is not None and (
        not isinstance(counts, list) or not all(isinstance(c, str | int) and not isinstance(c, bool) for c in counts)
    ):
        raise _want("record", "node counts", counts, "an array of node counts")
    if data.get("deploy") is not None:
        _check_deploy(data["deploy"])
    seen: set[str] = set()
    for index, raw in enumerate(tests):
        nodeid = check_test(index, raw)
        if nodeid in seen:
            raise RecordError(f"test #{index}: nodeid recorded twice")
        seen.add(nodeid)
