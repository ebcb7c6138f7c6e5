"""The transfers register (转送登记): petitions sent to another authority, their acknowledgement and notice."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.access import visible_org_q
from core.roles import is_mediator_only

from ..models import Transfer
from ..petition_forms import TransferFilterForm

TRANSFER_PAGE_SIZE = 50


def transfers_for_user(user, filters: dict):
    """The transfers of the units the user sees, filtered by authority, date range, acknowledged and told."""
    transfers = Transfer.objects.filter(visible_org_q(user, field="org")).select_related("case", "transferred_by")
    if filters.get("authority"):
        transfers = transfers.filter(authority=filters["authority"])
    if filters.get("start"):
        transfers = transfers.filter(transferred_on__gte=filters["start"])
    if filters.get("end"):
        transfers = transfers.filter(transferred_on__lte=filters["end"])
    for name, field in (("acknowledged", "acknowledged_on"), ("told", "told_on")):
        if filters.get(name):
            transfers = transfers.filter(**{f"{field}__isnull": filters[name] == "no"})
    return transfers.order_by("-transferred_on", "-id")


@login_required
def transfer_list(request):
    if is_mediator_only(request.user):
        raise PermissionDenied(_("调解员只能查看指派给自己的调解案件，不能查看转送登记。"))
    form = TransferFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    page = Paginator(transfers_for_user(request.user, filters), TRANSFER_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "complaints/transfer_list.html",
        {"form": form, "page": page, "transfers": list(page), "query": query.urlencode()},
    )
