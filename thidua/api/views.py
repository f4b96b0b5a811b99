"""«Mã truy cập API»: a user's personal access tokens (made, listed, revoked); an administrator revokes anyone's."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from thidua.api.forms import ApiTokenForm
from thidua.api.models import ApiToken
from thidua.api.selectors import tokens_in_use_of_others, tokens_of
from thidua.api.services import api_token_create, api_token_revoke
from thidua.units.permissions import signed_in_required


def _page(request, form, *, secret=None, created=None, status=200):
    user = request.user
    response = render(request, "api/tokens.html", {
        "form": form, "tokens": tokens_of(user), "secret": secret, "created": created,
        "others": tokens_in_use_of_others(user) if user.is_admin_role else None,
        "api_base": request.build_absolute_uri("/api/v1/"),
    }, status=status)
    add_never_cache_headers(response)  # the page that shows a new token once is kept by no cache
    return response


@signed_in_required
def api_tokens(request):
    if request.method == "POST":
        form = ApiTokenForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                token, secret = api_token_create(user=request.user, name=form.cleaned_data["name"],
                                                 expires_in_days=form.cleaned_data["expires_in_days"],
                                                 actor=request.user)
            except ValidationError as exc:
                errors = exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
                for field, messages_ in errors:
                    for error in messages_:
                        form.add_error(field if field in form.fields else None, error)
            else:
                return _page(request, ApiTokenForm(user=request.user), secret=secret, created=token)
        return _page(request, form, status=400)
    return _page(request, ApiTokenForm(user=request.user))


@signed_in_required
@require_POST
def api_token_revoke_view(request, pk: int):
    user = request.user
    tokens = ApiToken.objects.select_related("user") if user.is_admin_role else ApiToken.objects.filter(user=user)
    token = get_object_or_404(tokens, pk=pk)
    api_token_revoke(token=token, actor=user)
    messages.success(request, f"Đã thu hồi mã «{token.name}» ({token.prefix}…); mã này không dùng được nữa.")
    return redirect("api-tokens")
