"""Request middleware of our own."""

from __future__ import annotations

import re

from django.http import Http404, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.http.request import UnreadablePostError
from django.shortcuts import render

from thidua.documents.text import printable

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class PrintableFormInputMiddleware:
    """Form fields arrive as people see them, those of a query string too: a line break pasted from Word
    (a vertical tab) becomes a line break, and invisible control characters (NUL and the like) are dropped
    before any form reads them. No one can see or delete such a character, so refusing the form over one
    ("Null characters are not allowed") would leave the user stuck; kept, it would break the .docx and .xlsx
    files built from the text, and PostgreSQL refuses NUL outright. The JSON API refuses them instead
    (api.schemas)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # the query string is a form sent by GET (?don_vi=…, a filter): PostgreSQL refuses a NUL in a lookup
        if request.GET and (cleaned := self._cleaned(request.GET)) is not None:
            request.GET = cleaned
        if request.method == "POST" and request.content_type in FORM_TYPES:
            try:
                post = request.POST
            except (MultiPartParserError, UnreadablePostError):  # the form then reads as empty, and CSRF refuses it
                post = None
            if post is not None and (cleaned := self._cleaned(post)) is not None:
                request._post = cleaned
        return self.get_response(request)

    @staticmethod
    def _cleaned(data):
        """``data`` (a QueryDict) without invisible characters, or None when it has none."""
        shown = {key: [printable(value) for value in values] for key, values in data.lists()}
        if all(shown[key] == values for key, values in data.lists()):
            return None
        cleaned = data.copy()
        for key, values in shown.items():
            cleaned.setlist(key, values)
        cleaned._mutable = False
        return cleaned


CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")


class ControlCharacterPathMiddleware:
    """No address of the site holds an invisible control character (%00, %01…): such a path is a 404 before
    any view looks a unit or a file up by it. PostgreSQL refuses a NUL in a query outright (an error 500)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if CONTROL_CHARACTER.search(request.path_info):
            raise Http404("Địa chỉ có ký tự điều khiển không in được, không phải địa chỉ của trang nào.")
        return self.get_response(request)


PAGE_METHODS = ("GET", "HEAD", "POST", "OPTIONS")  # what the pages (not the API) take


class MethodNotAllowedPageMiddleware:
    """A request with a method an address does not take (405) gets a Vietnamese answer instead of
    Django's empty page: a page for people (a form's address opened as a link), JSON for the API. A page
    sent a method no page takes (PUT, DELETE…) is answered 405 before its view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        api = request.path.startswith("/api/")  # django-ninja's own 405 is an English text
        if not api and request.method not in PAGE_METHODS:
            # the views read "not POST" as "show the page": a DELETE or PUT would get the page, 200
            answer = render(request, "405.html", {"other_method": request.method}, status=405)
            answer["Allow"] = ", ".join(PAGE_METHODS)
            return answer
        if not api and request.method == "OPTIONS":  # what the address takes, not the page (no view runs)
            answer = HttpResponse(status=200)
            answer["Allow"] = ", ".join(PAGE_METHODS)
            return answer
        if api and request.method == "HEAD":  # what a GET would answer, without its body (django-ninja: 405)
            request.method = "GET"
            response = self.get_response(request)
            request.method = "HEAD"
            response.content = b""
            return response
        response = self.get_response(request)
        if response.status_code != 405 or (response.content and not api):
            return response
        allowed = response.get("Allow", "")
        if api:
            answer = JsonResponse({"detail": f"Địa chỉ này không nhận phương thức {request.method}; "
                                             f"chỉ nhận {allowed or 'phương thức khác'}."},
                                  status=405, json_dumps_params={"ensure_ascii": False})
        else:
            answer = render(request, "405.html", status=405)
        if allowed:
            answer["Allow"] = allowed
        return answer


# Pages load only this site's own files: the one script is static/thidua/app.js (no inline script or
# on…= handler anywhere, tests/web/core/test_security_headers.py checks the templates), so text a user
# typed can never run as script even if a template forgot to escape it. Inline style attributes (the
# admin's, the API docs') are allowed; images may be data: addresses (the API docs' icons).
PAGE_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:",
    "font-src 'self' data:", "connect-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'",
    "frame-ancestors 'none'",
])
# A download (evidence, plan files, documents, exports): nothing in it runs, should a browser show it.
DOWNLOAD_POLICY = "default-src 'none'; sandbox"


class ContentSecurityPolicyMiddleware:
    """A Content-Security-Policy header on every answer that has none: PAGE_POLICY, or DOWNLOAD_POLICY for
    a file sent as an attachment."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            download = response.get("Content-Disposition", "").lower().startswith("attachment")
            response["Content-Security-Policy"] = DOWNLOAD_POLICY if download else PAGE_POLICY
        return response
