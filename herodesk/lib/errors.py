"""Errors raised by actions; the API, views and CLI map them to answers.

Each carries a message written for the person who sent the request.
"""

from __future__ import annotations


class ActionError(Exception):
    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class Invalid(ActionError):
    status_code = 422


class Forbidden(ActionError):
    status_code = 403


class NotFound(ActionError):
    status_code = 404


class Conflict(ActionError):
    status_code = 409
