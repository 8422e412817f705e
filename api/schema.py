"""OpenAPI: every operation documents its problem responses; stock POSTs their key header."""

from django.conf import settings
from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
    OpenApiSerializerFieldExtension,
)
from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from drf_spectacular.plumbing import is_list_serializer
from drf_spectacular.utils import OpenApiParameter

from .idempotency import KEY_HEADER, MAX_KEY_LENGTH, REPLAYED_HEADER

KEY_SCHEMA = {
    "type": "string",
    "minLength": 1,
    "maxLength": MAX_KEY_LENGTH,
    "pattern": "^[!-~]+$",  # visible ASCII
}
KEY_REQUIRED = OpenApiParameter(
    KEY_HEADER,
    KEY_SCHEMA,
    OpenApiParameter.HEADER,
    required=True,
    description=(
        "Unique per request (a UUID will do); send it again unchanged to retry. A retry "
        f"gets the first response with `{REPLAYED_HEADER}: true`. Keys belong to the token "
        "that sends them: two tills with their own tokens may use the same keys, even when "
        "signed in as one user; a retry must be sent with the same token."
    ),
)
KEY_OPTIONAL = OpenApiParameter(
    KEY_HEADER,
    KEY_SCHEMA,
    OpenApiParameter.HEADER,
    required=False,
    description="Optional here: with one, a retry gets the first response instead of a repeat.",
)


class AutoSchema(BaseAutoSchema):
    """drf-spectacular's schema; an unauthenticated view says so (no security). A list of
    lines says how many it takes (`minItems`, `maxItems`), as the serializer checks."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if schema and is_list_serializer(field) and direction == "request":
            least = max(field.min_length or 0, 0 if field.allow_empty else 1)
            if least:
                schema["minItems"] = least
            if field.max_length is not None:
                schema["maxItems"] = field.max_length
        return schema


class TokenAuthScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token from the API tokens page: `Authorization: Bearer <token>`.",
        }


class _IdFieldSchema(OpenApiSerializerFieldExtension):
    """An id in a request is a JSON integer or a string of ASCII digits, as IdField and
    IdIntegerField take it (a connector that keeps ids as text need not convert them);
    in a response it is always an integer."""

    target_class = "api.serializers.fields.IdField"
    integer = {"type": "integer"}

    def map_serializer_field(self, auto_schema, direction):
        if direction != "request":
            return dict(self.integer)
        return {"oneOf": [dict(self.integer), {"type": "string", "pattern": "^[0-9]+$"}]}


class _IdIntegerFieldSchema(_IdFieldSchema):
    target_class = "api.serializers.fields.IdIntegerField"
    integer = {"type": "integer", "format": "int64", "minimum": 1, "maximum": 2**63 - 1}


# Statuses any operation may answer with a problem, beyond what it documents itself.
COMMON_PROBLEMS = {
    "400": "Invalid input: `errors` names each field.",
    "401": "No valid token or session.",
    "403": "The role does not allow this.",
    "404": "No such object.",
    "405": "Method not allowed.",
    "406": "Not acceptable.",
    "415": "Unsupported media type.",
    "429": "Too many requests; see Retry-After.",
    "503": "The database is not answering, or the same stock stayed busy; see Retry-After.",
}
WRITE_PROBLEMS = {
    "409": "Refused by the state of stock or of the document (a shortage names item, "
    "store, requested and available; `document-changed`: stock or the document moved on "
    "since the figures sent were read; `nothing-left`: a ship or receive of everything "
    "found it all done already).",
    "413": "The body is larger than "
    f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes; nothing was recorded.",
    "422": "Refused by a rule of the inventory, or an Idempotency-Key reused with another body. "
    "A document refused on several lines at once has `type` "
    "`urn:inventory:problem:refused-lines` and lists each in `refusals`.",
}
# One refused line of a document (`refusals`), as a refusal of that line alone would say it.
REFUSAL = {
    "type": "object",
    "properties": {
        "line": {"type": "integer", "description": "The body's line, from 0."},
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": True},
    },
    "required": ["line", "detail"],
}


_REF_OBJECT = {"type": "object", "additionalProperties": True}


def _problem_ref():
    return {"$ref": "#/components/schemas/Problem"}


def add_problem_responses(result, generator, request, public):
    """Postprocessing hook: document problem+json answers on every operation."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(
        "Problem",
        {
            "type": "object",
            "description": (
                "RFC 9457 problem details. `errors` (by field) and the shortage members "
                "(item, store, requested, available, line, lines, shortages) appear when "
                "they apply. An item on several lines is judged on their sum: `requested` "
                "is that sum, `line` its first line and `lines` every one (from 0). "
                "Several lines refused at once are each in `refusals` (line, detail, "
                "errors), `line` naming the first."
            ),
            "properties": {
                "type": {"type": "string"},
                "title": {"type": "string"},
                "status": {"type": "integer"},
                "detail": {"type": "string"},
                "errors": {"type": "object", "additionalProperties": True},
                "item": _REF_OBJECT,
                "store": _REF_OBJECT,
                "requested": {"type": "string"},
                "available": {"type": "string"},
                "line": {"type": "integer"},
                "lines": {"type": "array", "items": {"type": "integer"}},
                "shortages": {"type": "array", "items": {"type": "object"}},
                "refusals": {"type": "array", "items": REFUSAL},
                "retry_after": {"type": "integer"},
            },
            "required": ["type", "title", "status", "detail"],
            "additionalProperties": True,
        },
    )
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            wanted = dict(COMMON_PROBLEMS)
            if method in {"post", "put", "patch"}:
                wanted.update(WRITE_PROBLEMS)
            for status, description in wanted.items():
                response = responses.setdefault(status, {"description": description})
                response.setdefault("content", {})["application/problem+json"] = {
                    "schema": _problem_ref()
                }
                response["content"].pop("application/json", None)
            if method == "post":
                for status, response in responses.items():
                    if status.startswith("2"):
                        response.setdefault("headers", {})[REPLAYED_HEADER] = {
                            "schema": {"type": "string", "enum": ["true"]},
                            "description": "Present on a replay of an earlier request.",
                        }
    return result
