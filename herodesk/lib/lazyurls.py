"""URLconfs imported on first use, so commands that never serve a request stay fast.

`include()` imports its URLconf at once; the REST APIs (django-ninja and every
schema, about a third of a cold start) would then load for `herodesk who` and
`herodesk check` too, and the desk's views (with the actions they import) for
every `herodesk check`, which imports the root URLconf.
`lazy_include(route, "herodesk.api.urls", namespace=…)` gives a resolver that
imports its module the first time a request reaches it, a reverse() of one of
its names (`api:…`) looks inside it, or something reads its `url_patterns`;
reversing the desk's own names leaves a namespaced one alone.

System checks: a resolver not yet loaded checks only its own route and that
its module exists; `herodesk check --deploy` (and any check run once the module
is loaded) checks every pattern inside it (`check_lazy_urlconfs`). Django's
namespace check would open every resolver to collect names, so
`check_url_namespaces_unique` here takes its place: the same rule, counting a
resolver not yet loaded by its own namespace.
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.checks.urls import check_url_namespaces_unique as django_namespaces_check
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import RoutePattern


class LazyResolver(URLResolver):
    """A URLResolver whose URLconf module is imported on first use."""

    @property
    def loaded(self) -> bool:
        return "urlconf_module" in self.__dict__

    def _populate(self) -> None:
        # The root resolver populates every child when it first reverses a name
        # (any `{% url %}`); this one fills in only once it is used itself.
        if self.loaded:
            super()._populate()

    def _load(self) -> None:
        self.urlconf_module  # noqa: B018  (imports the module)

    @property
    def reverse_dict(self) -> Any:
        self._load()
        return super().reverse_dict

    @property
    def namespace_dict(self) -> Any:
        self._load()
        return super().namespace_dict

    @property
    def app_dict(self) -> Any:
        self._load()
        return super().app_dict

    def check(self) -> list[checks.CheckMessage]:
        if self.loaded:
            return super().check()
        messages = list(self.pattern.check())
        if importlib.util.find_spec(str(self.urlconf_name)) is None:
            messages.append(
                checks.Error(f"URLconf module {self.urlconf_name!r} not found", id="herodesk.E101")
            )
        return messages

    def check_all(self) -> list[checks.CheckMessage]:
        """Every pattern inside (imports the module)."""
        return super().check()


def lazy_include(route: str, urlconf: str, *, namespace: str | None) -> LazyResolver:
    """`path(route, include(urlconf, namespace=…))`, imported on first use.

    The module sets `app_name` like any included URLconf; here the namespace is
    given so reverse() can find the resolver without importing it. Without a
    namespace (the desk's own URLconf), the first reverse() of any name imports
    it, as the root resolver then collects every name inside.
    """
    return LazyResolver(
        RoutePattern(route, is_endpoint=False),
        urlconf,
        app_name=namespace,
        namespace=namespace,
    )


def _lazy_resolvers(resolver: Any) -> list[LazyResolver]:
    found = []
    for pattern in _patterns(resolver):
        if isinstance(pattern, LazyResolver):
            found.append(pattern)
        found.extend(_lazy_resolvers(pattern))
    return found


def _patterns(resolver: Any) -> list[Any]:
    if isinstance(resolver, LazyResolver) and not resolver.loaded:
        return []
    return list(getattr(resolver, "url_patterns", []))


def _namespaces(resolver: Any, parents: tuple[str, ...] = ()) -> list[str]:
    """Django's `_load_all_namespaces`, without opening resolvers not yet loaded."""
    names = []
    for pattern in _patterns(resolver):
        namespace = getattr(pattern, "namespace", None)
        current = parents
        if namespace is not None:
            names.append(":".join((*parents, namespace)))
            current = (*parents, namespace)
        names.extend(_namespaces(pattern, current))
    return names


def check_url_namespaces_unique(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """urls.W005 (URL namespaces must be unique), as Django checks it."""
    if not getattr(settings, "ROOT_URLCONF", None):
        return []
    counter = Counter(_namespaces(get_resolver()))
    return [
        checks.Warning(
            f"URL namespace '{name}' isn't unique. You may not be able to reverse "
            "all URLs in this namespace",
            id="urls.W005",
        )
        for name, count in counter.items()
        if count > 1
    ]


def check_lazy_urlconfs(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """Deploy check: import every lazy URLconf and check all its patterns."""
    if not getattr(settings, "ROOT_URLCONF", None):
        return []
    messages: list[checks.CheckMessage] = []
    for resolver in _lazy_resolvers(get_resolver()):
        messages.extend(resolver.check_all())
    # Now that everything is loaded, Django's own namespace check sees it all.
    messages.extend(django_namespaces_check(app_configs))
    return messages


def register_checks() -> None:
    """Swap Django's namespace check for the one above; add the deploy check.
    Called from an AppConfig.ready."""
    registry = checks.registry.registry
    registry.registered_checks.discard(django_namespaces_check)
    checks.register(check_url_namespaces_unique, checks.Tags.urls)
    checks.register(check_lazy_urlconfs, checks.Tags.urls, deploy=True)
