"""Filter sets copy their filters once a request, shallowly (core/filtersets.py): each request's filters, options and
form fields are its own, and a filter with a method calls it on its own filter set."""

from django.http import QueryDict

from complaints.filters import LedgerFilter
from complaints.selectors import ledger_scope
from core.filtersets import fresh_filter
from tests.factories import make_institution


def test_each_filter_set_has_its_own_filters_choices_and_fields(orgs, clerk_a, other_clerk):
    laizhou_bank = make_institution(org=orgs["laizhou"], short_name="莱州农商银行")
    zhaoyuan_bank = make_institution(org=orgs["zhaoyuan"], short_name="招远农商银行")
    declared = LedgerFilter.base_filters["institution"]
    declared_extra = dict(declared.extra)

    laizhou = LedgerFilter(None, scope=ledger_scope(clerk_a))
    zhaoyuan = LedgerFilter(None, scope=ledger_scope(other_clerk))

    def offered(filterset):
        return {value for value, _label in filterset.form.fields["institution"].choices if value}

    assert laizhou_bank.pk in offered(laizhou) and zhaoyuan_bank.pk not in offered(laizhou)
    assert zhaoyuan_bank.pk in offered(zhaoyuan) and laizhou_bank.pk not in offered(zhaoyuan)
    assert declared.extra == declared_extra and not hasattr(declared, "_field")
    for name in LedgerFilter.base_filters:
        assert laizhou.filters[name] is not zhaoyuan.filters[name] is not LedgerFilter.base_filters[name]
        assert laizhou.form.fields[name] is not zhaoyuan.form.fields[name]
        assert laizhou.form.fields[name].widget is not zhaoyuan.form.fields[name].widget


def test_a_method_filter_calls_the_method_of_its_own_filter_set(orgs, clerk_a):
    scope = ledger_scope(clerk_a)
    searching = LedgerFilter(QueryDict("q=理赔"), scope=scope)
    browsing = LedgerFilter(QueryDict("status=open"), scope=scope)
    searching.qs, browsing.qs  # noqa: B018 (filtering runs the filters' methods)
    assert searching.filters["q"].parent is searching
    assert browsing.filters["q"].parent is browsing
    assert searching.filters["q"].filter.f is searching.filters["q"]
    # The term reaches the query (as LIKE, strpos or the index's grams, by database and by how common it is).
    assert "理赔" in str(searching.qs.query) and "理赔" not in str(browsing.qs.query)


def test_a_copy_of_a_declared_filter_shares_nothing_it_changes():
    declared = LedgerFilter.base_filters["handler"]
    copy_one, copy_two = fresh_filter(declared), fresh_filter(declared)
    copy_one.extra["choices"] = [("1", "甲")]
    assert "choices" not in copy_two.extra or copy_two.extra["choices"] != [("1", "甲")]
    assert copy_one.field is not copy_two.field
    assert copy_one.filter.f is copy_one and copy_two.filter.f is copy_two
