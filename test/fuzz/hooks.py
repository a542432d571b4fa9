# Schemathesis hooks for test/fuzz (loaded through `hooks` in schemathesis.toml).
#
# `validation_refusals`: of the schema-valid (positive) requests an operation got, how many the mock
# refused as malformed: a 400 (or 422) whose Stytch error_type is one of `error_types`
# (invalid_argument, bad_request). Domain outcomes (404 session_not_found, 401, a 400 such as
# unable_to_parse_session_jwt) are not refusals. Auth failures, rate limits and server errors say
# nothing about the data, so they stay out of the denominator, as in Schemathesis's own valid-rate
# count. It writes every operation's counts to `report` (JSON) and fails the run where more than
# `threshold` of an operation's informative positive requests were refused.
from __future__ import annotations

import json
import os
import threading

import schemathesis
from schemathesis.generation import GenerationMode

UNINFORMATIVE = {401, 403, 429}


def _error_type(response) -> str | None:
    try:
        body = response.json()
    except Exception:
        return None
    return body.get("error_type") if isinstance(body, dict) else None


def _request_line(case, response) -> str:
    request = response.request
    body = request.body
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    line = f"{request.method} {request.url}"
    if body:
        line += f" {body[:400]}"
    return line


@schemathesis.check
class validation_refusals:
    def __init__(
        self,
        threshold: float = 0.5,
        min_requests: int = 5,
        error_types: list[str] | None = None,
        report: str = "",
    ) -> None:
        self.threshold = threshold
        self.min_requests = min_requests
        self.error_types = set(error_types or ["invalid_argument", "bad_request"])
        self.report = os.environ.get("FUZZ_REFUSALS_REPORT") or report
        self.lock = threading.Lock()
        # Sets of case ids, not counters: a case may be seen again while shrinking or replaying.
        self.positive: dict[str, set[str]] = {}
        self.informative: dict[str, set[str]] = {}
        self.refused: dict[str, set[str]] = {}
        self.statuses: dict[str, dict[str, set[str]]] = {}
        self.example: dict[str, str] = {}

    def after_response(self, ctx, response, case) -> None:
        meta = case.meta
        if meta is None or meta.generation.mode != GenerationMode.POSITIVE:
            return
        label = case.operation.label
        status = response.status_code
        error_type = _error_type(response) if status >= 400 else None
        outcome = f"{status} {error_type}" if error_type else str(status)
        with self.lock:
            self.positive.setdefault(label, set()).add(case.id)
            self.statuses.setdefault(label, {}).setdefault(outcome, set()).add(case.id)
            if status in UNINFORMATIVE or status >= 500:
                return
            self.informative.setdefault(label, set()).add(case.id)
            if status in (400, 422) and error_type in self.error_types:
                self.refused.setdefault(label, set()).add(case.id)
                self.example.setdefault(
                    label, f"{_request_line(case, response)} -> {status} {response.text[:300]}"
                )

    def after_run(self, ctx) -> None:
        rows = []
        for label, cases in self.positive.items():
            informative = len(self.informative.get(label, ()))
            refused = len(self.refused.get(label, ()))
            rows.append(
                {
                    "operation": label,
                    "positive": len(cases),
                    "informative": informative,
                    "refused": refused,
                    "rate": refused / informative if informative else 0.0,
                    "statuses": {k: len(v) for k, v in sorted(self.statuses[label].items())},
                    "example": self.example.get(label),
                }
            )
        rows.sort(key=lambda r: (-r["rate"], -r["refused"], r["operation"]))
        if self.report:
            with open(self.report, "w", encoding="utf-8") as f:
                json.dump(rows, f, indent=1)
        bad = [
            r
            for r in rows
            if r["informative"] >= self.min_requests and r["rate"] > self.threshold
        ]
        if bad:
            raise AssertionError(
                f"Schema-valid requests mostly refused as invalid (over {self.threshold:.0%}):\n"
                + "\n".join(
                    f"  {r['operation']}: {r['refused']}/{r['informative']}; e.g. {r['example']}"
                    for r in bad
                )
            )
