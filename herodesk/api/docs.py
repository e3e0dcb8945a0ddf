"""The API's Swagger UI and ReDoc pages from the desk's own static files.

django-ninja renders them from a CDN unless "ninja" is an installed app, and
the desk keeps it out of INSTALLED_APPS (importing ninja at start-up would load
pydantic for every command). settings.py puts ninja's templates and static
files on the desk's paths instead; these render its templates directly.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI, Redoc, Swagger
from ninja.openapi.docs import _csrf_needed


class LocalSwagger(Swagger):
    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {
            "swagger_settings": json.dumps(self.settings, indent=1),
            "api": api,
            "add_csrf": _csrf_needed(api),
        }
        return render(request, self.template, context)


class LocalRedoc(Redoc):
    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        context = {
            "redoc_settings": json.dumps(self.settings, indent=1),
            "openapi_json_url": self.get_openapi_url(api, kwargs),
            "api": api,
        }
        return render(request, self.template, context)
