"""A paginator that counts only up to a limit, for lists that grow without end (docs/performance.md「来访来电列表」).

Django's Paginator counts every row to number the pages: 225,000 contact records of one office cost ~10 ms a page
on PostgreSQL. `CappedPaginator` counts up to `limit` rows (exactly below it); beyond it the total is "more than
`limit`" and the pages go on as long as there are rows, as the ledger's do: each page fetches one row more than it
shows to know whether a next one exists. The shared page links (templates/fragment_pagination.html) then show
"第 n 页" without a last page.
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, limit: int):
        super().__init__(object_list, per_page)
        self.limit = limit

    @cached_property
    def count(self) -> int:
        """The rows, counted up to limit + 1 (one SQL COUNT over at most that many rows): limit + 1 means "more"."""
        return self.object_list[: self.limit + 1].count()

    @property
    def count_is_lower_bound(self) -> bool:
        return self.count > self.limit

    @property
    def shown_count(self) -> int:
        """What the page says: the exact count, or the limit it is more than."""
        return min(self.count, self.limit)

    def validate_number(self, number):
        """As Paginator's; beyond the limit any page from 1 on is valid (it may turn out empty)."""
        if not self.count_is_lower_bound:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number):
        number = self.validate_number(number)
        if not self.count_is_lower_bound:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return CappedPage(rows[: self.per_page], number, self, has_more=len(rows) > self.per_page)

    def get_page(self, number):
        """As Paginator.get_page; beyond the limit, where the last page is unknown, a page number that is not a
        page (not a number, below 1, past the last row) shows the first page."""
        if not self.count_is_lower_bound:
            return super().get_page(number)
        try:
            return self.page(number)
        except (PageNotAnInteger, EmptyPage):
            return self.page(1)


class CappedPage(Page):
    def __init__(self, object_list, number, paginator, *, has_more: bool):
        super().__init__(object_list, number, paginator)
        self.has_more = has_more

    def has_next(self) -> bool:
        return self.has_more

    def end_index(self) -> int:
        return self.start_index() + len(self.object_list) - 1
