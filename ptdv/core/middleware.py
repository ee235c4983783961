from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class VietnameseFirstLocaleMiddleware:
    """Vietnamese unless the user chose another language with the switcher (cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an office
    PC with an English browser would get English; PTĐV is Vietnamese by default."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class ContentSecurityPolicyMiddleware:
    """A strict Content-Security-Policy on every HTML page (``settings.PTDV_CSP``): scripts,
    styles, fonts and images only from this site, no inline script, no ``style=""``
    attribute, no plugin, not framed. Behaviour lives in ``static/ptdv/js/app.js`` and
    looks lives in ``static/ptdv/css/``; ``ptdv/core/tests/test_csp.py`` scans the
    templates. Other responses (PDF, XLSX, JSON) get no policy: Chromium's PDF viewer is
    a plugin that ``object-src 'none'`` would block."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = settings.PTDV_CSP

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            response.headers.setdefault("Content-Security-Policy", self.policy)
        return response
