"""Query strings for both NinjaAPIs: a parameter the schema declares as one
value must come once.

ninja's default parser keeps the last of `?username=a&username=b` and goes on,
so a request the OpenAPI document calls invalid would be answered as if it were
fine (schemathesis's "schema-violating request accepted"). Here it is a 422
naming the parameter, in the same shape as every other validation error.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.errors import ValidationError
from ninja.parser import Parser
from ninja.types import DictStrAny


class SingleValueParser(Parser):
    def parse_querydict(
        self, data: MultiValueDict, list_fields: list[str], request: HttpRequest
    ) -> DictStrAny:
        repeated = [key for key in data if key not in list_fields and len(data.getlist(key)) > 1]
        if repeated:
            raise ValidationError(
                [
                    {
                        "type": "repeated_parameter",
                        "loc": ("query", key),
                        "msg": f"give {key!r} once (it came {len(data.getlist(key))} times)",
                    }
                    for key in repeated
                ]
            )
        return super().parse_querydict(data, list_fields, request)
