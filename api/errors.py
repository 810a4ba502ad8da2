"""Domain errors that know their HTTP status, rendered as RFC 9457 problem details.

Services raise these; one handler turns them into ``application/problem+json``. Routes declare
the ones they can return with :func:`problems`, so the OpenAPI document lists every error. Anything
else that escapes is a bug: it is logged with its traceback and the client gets a bare 500.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, Field

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "urn:sunshift:problem:"


class FieldError(BaseModel):
    """One invalid input element: where it is (a dotted path or CSV row/column) and why."""

    loc: str = Field(description="Path of the element, e.g. body.agents[2].timezone or row 7 column aht_seconds.")
    message: str
    item: str | None = Field(None, description="The agent, queue or interval concerned.")


class ProblemDetail(BaseModel):
    """RFC 9457 problem details, plus Sunshift's extension members."""

    type: str = Field(description="URI naming the kind of problem (urn:sunshift:problem:…).")
    title: str
    status: int
    detail: str
    instance: str | None = None
    request_id: str | None = None
    errors: list[FieldError] | None = None
    limit: str | None = Field(None, description="The setting a request exceeded.")
    allowed: float | None = None
    requested: float | None = None


class ApiError(Exception):
    """Base of every error the API returns on purpose."""

    status: ClassVar[int] = 400
    slug: ClassVar[str] = "bad-request"
    title: ClassVar[str] = "Bad request"

    def __init__(
        self,
        detail: str,
        *,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}
        self.extra = extra

    def problem(self, instance: str | None, request_id: str | None) -> ProblemDetail:
        return ProblemDetail(
            type=PROBLEM_BASE + self.slug,
            title=self.title,
            status=self.status,
            detail=self.detail,
            instance=instance,
            request_id=request_id,
            errors=self.errors,
            **self.extra,
        )


class Unauthorized(ApiError):
    status, slug, title = 401, "unauthorized", "Missing or invalid API key"


class Forbidden(ApiError):
    status, slug, title = 403, "forbidden", "The key's role does not allow this"


class NotFound(ApiError):
    status, slug, title = 404, "not-found", "Not found"


class Conflict(ApiError):
    status, slug, title = 409, "conflict", "Conflicts with the current state"


class PreconditionFailed(ApiError):
    status, slug, title = 412, "precondition-failed", "The resource changed since you read it"


class PreconditionRequired(ApiError):
    status, slug, title = 428, "precondition-required", "Send If-Match with the current ETag"


class PayloadTooLarge(ApiError):
    status, slug, title = 413, "payload-too-large", "Request body too large"


class UnsupportedMediaType(ApiError):
    status, slug, title = 415, "unsupported-media-type", "Unsupported media type"


class InvalidInput(ApiError):
    status, slug, title = 422, "invalid-input", "The request is not valid"


class LimitExceeded(ApiError):
    status, slug, title = 422, "limit-exceeded", "A configured limit was exceeded"


class TooManySolves(ApiError):
    status, slug, title = 429, "too-many-solves", "The team has too many solves in progress"


class Internal(ApiError):
    status, slug, title = 500, "internal", "Internal server error"


_DESCRIPTIONS = {
    401: "No API key, or an unknown or revoked one.",
    403: "The key's role may not do this.",
    404: "No such object in this team (other teams' objects are never visible).",
    409: "The object's state does not allow this.",
    412: "If-Match names an ETag that is no longer current: read it again.",
    413: "The request body exceeds the configured limit.",
    415: "The request's content type is not accepted here.",
    422: "Invalid input (field paths in `errors`) or a configured limit exceeded (`limit`).",
    428: "The request must carry If-Match (compare-and-set).",
    429: "Too many solves queued or running for the team; see Retry-After.",
    500: "A bug: the response carries the request id to report.",
}

#: Every authenticated route can answer these.
AUTH_ERRORS = (401, 403, 404, 422, 500)


def problems(*codes: int, authenticated: bool = True) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the problem statuses a route may return (``authenticated``:
    the route takes an API key, so it can also answer 401, 403 and 422).

    FastAPI files the model under ``application/json``; ``api.app`` moves it to
    ``application/problem+json`` when it builds the document.
    """
    chosen = sorted((set(AUTH_ERRORS) if authenticated else {500}) | set(codes))
    return {
        code: {
            "model": ProblemDetail,
            "description": _DESCRIPTIONS[code],
        }
        for code in chosen
    }
