"""复查 / 复核 after closure (docs/domain.md, "复查、复核"): offered only on a closed petition whose reply was
delivered, recorded through the case page's own forms, refused before its time, in the future or before the
reply reached the petitioner, marked late after 30 days; after 复核 the same matter is not accepted again."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from complaints.models import PetitionReview
from complaints.services import case_close, petition_accept, petition_deliver, petition_reply
from complaints.services.review import petition_review_decide, petition_review_request
from core.models import Deadline, DeadlineRule
from core.services.deadlines import compute_due
from tests.complaints.page_forms import page_actions, page_form
from tests.factories import at

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat


def closed_petition(register, clerk, *, delivered_on="2026-03-20"):
    """A 申诉求决 accepted, answered (不予支持) on 2026-03-12, its reply delivered on `delivered_on`, closed."""
    with at("2026-03-10"):
        case = register("petition")
    with at("2026-03-12"):
        case = petition_accept(actor=clerk, case=case, version=case.version, route="调查处理")
        case = petition_reply(
            actor=clerk,
            case=case,
            version=case.version,
            request="退还手续费",
            facts="手续费已在合同中约定并提示",
            decision="reject",
            legal_basis="合同约定",
        )
    with at(delivered_on):
        case = petition_deliver(actor=clerk, case=case, version=case.version, delivered_on=D(delivered_on))
        return case_close(actor=clerk, case=case, version=case.version)


def page(client, case):
    return client.get(reverse("complaints:case_detail", args=[case.pk])).content.decode()


def review_deadlines(case):
    return list(
        Deadline.objects.filter(object_id=case.pk, content_type__model="case", rule__code="P-REVIEW")
        .order_by("id")
        .values_list("started_on", "due_on", "status")
    )


def test_review_is_offered_only_on_a_closed_petition_whose_reply_was_delivered(register, clerk_a, client_for):
    client = client_for(clerk_a)
    with at("2026-03-10"):
        fresh = register("petition")
        assert "review" not in page_actions(page(client, fresh))
        with pytest.raises(ValidationError) as refused:
            petition_review_request(
                actor=clerk_a, case=fresh, version=fresh.version, kind="recheck", requested_on=D("2026-03-10"),
                office="烟台金融监管分局",
            )  # fmt: skip
        assert refused.value.messages == ["案件当前状态为“已登记”，不能登记复查/复核请求。"]
    case = closed_petition(register, clerk_a)
    with at("2026-03-25"):
        assert page_actions(page(client, case)) == ["review"]


def test_recheck_then_review_through_the_case_pages_forms(register, clerk_a, client_for):
    case = closed_petition(register, clerk_a, delivered_on="2026-08-20")
    client = client_for(clerk_a)
    with at("2026-09-01"):
        form = page_form(page(client, case), data_action="review")
        assert form.selects["kind"] == ["recheck", "review"] and form.values["kind"] == "recheck"
        response = client.post(form.url, form.fill(requested_on="2026-09-01", office="烟台金融监管分局"))
        assert response.status_code == 302
        html = page(client, case)
        # While the 复查 waits for its decision the page offers the decision, not another request.
        assert page_actions(html) == ["review_decide"]
        assert "烟台金融监管分局" in html and 'data-testid="review-recheck"' in html
    # P-REVIEW: 30 days from 09-01 land on 10-01 (国庆), so the higher office has until Thursday 10-08.
    assert review_deadlines(case) == [(D("2026-09-01"), D("2026-10-08"), "open")]

    with at("2026-09-28"):
        form = page_form(page(client, case), data_action="review_decide")
        assert form.selects["decision"] == ["upheld", "revoked", "varied"]
        client.post(form.url, form.fill(decision="upheld", decided_on="2026-09-28", note="维持原处理意见"))
        form = page_form(page(client, case), data_action="review")
        assert form.values["kind"] == "review"  # the next request can only be the 复核
        client.post(form.url, form.fill(requested_on="2026-09-28", office="山东金融监管局"))
    with at("2026-10-20"):
        form = page_form(page(client, case), data_action="review_decide")
        client.post(form.url, form.fill(decision="varied", decided_on="2026-10-20"))
        assert page_actions(page(client, case)) == []  # after 复核 nothing more to ask

    reviews = {r.kind: r for r in PetitionReview.objects.filter(case=case)}
    assert (reviews["recheck"].decision, reviews["recheck"].decided_on, reviews["recheck"].late) == (
        "upheld",
        D("2026-09-28"),
        False,
    )
    assert (reviews["review"].office, reviews["review"].decision, reviews["review"].decided_on) == (
        "山东金融监管局",
        "varied",
        D("2026-10-20"),
    )
    assert review_deadlines(case) == [
        (D("2026-09-01"), D("2026-10-08"), "done"),
        (D("2026-09-28"), D("2026-10-28"), "done"),
    ]
    case.refresh_from_db()
    assert case.status == "closed" and case.due_on is None
    actions = list(case.events.values_list("action", flat=True))
    assert actions[-4:] == ["review_recheck", "review_recheck_decided", "review_review", "review_review_decided"]


def _unchanged(case):
    case.refresh_from_db()
    return (case.version, PetitionReview.objects.filter(case=case).count(), Deadline.objects.count())


def test_refusals_change_nothing(register, clerk_a, client_for):
    case = closed_petition(register, clerk_a)
    client = client_for(clerk_a)
    with at("2026-03-25"):
        before = _unchanged(case)
        # A 复核 needs a 复查 decision first.
        with pytest.raises(ValidationError) as refused:
            petition_review_request(
                actor=clerk_a, case=case, version=case.version, kind="review", requested_on=D("2026-03-24"),
                office="山东金融监管局",
            )  # fmt: skip
        assert refused.value.messages == ["复核须在复查决定之后：请先登记复查请求及复查机关的决定。"]
        # A date in the future: the page's form says so beside the field and nothing is recorded.
        form = page_form(page(client, case), data_action="review")
        response = client.post(form.url, form.fill(requested_on="2026-03-26", office="烟台金融监管分局"))
        assert response.status_code == 400 and "日期不能晚于今天。" in response.text
        with pytest.raises(ValidationError) as refused:
            petition_review_request(
                actor=clerk_a, case=case, version=case.version, kind="recheck", requested_on=D("2026-03-26"),
                office="烟台金融监管分局",
            )  # fmt: skip
        assert refused.value.message_dict == {"requested_on": ["日期不能晚于今天。"]}
        # Before the reply reached the petitioner.
        with pytest.raises(ValidationError) as refused:
            petition_review_request(
                actor=clerk_a, case=case, version=case.version, kind="recheck", requested_on=D("2026-03-19"),
                office="烟台金融监管分局",
            )  # fmt: skip
        assert refused.value.message_dict == {
            "requested_on": ["请求日期不能早于信访处理意见书送达日期（2026-03-20）。"]
        }
        # No decision without a request.
        with pytest.raises(ValidationError):
            petition_review_decide(
                actor=clerk_a, case=case, version=case.version, decision="upheld", decided_on=D("2026-03-25")
            )
        assert _unchanged(case) == before

        petition_review_request(
            actor=clerk_a, case=case, version=case.version, kind="recheck", requested_on=D("2026-03-24"),
            office="烟台金融监管分局",
        )  # fmt: skip
        case.refresh_from_db()
        before = _unchanged(case)
        for decided_on, message in [
            (D("2026-03-26"), "日期不能晚于今天。"),
            (D("2026-03-23"), "决定日期不能早于请求日期（2026-03-24）。"),
        ]:
            with pytest.raises(ValidationError) as refused:
                petition_review_decide(
                    actor=clerk_a, case=case, version=case.version, decision="upheld", decided_on=decided_on
                )
            assert refused.value.message_dict == {"decided_on": [message]}
        # A second 复查 of the same reply.
        with pytest.raises(ValidationError):
            petition_review_request(
                actor=clerk_a, case=case, version=case.version, kind="recheck", requested_on=D("2026-03-25"),
                office="烟台金融监管分局",
            )  # fmt: skip
        assert _unchanged(case) == before


@pytest.mark.parametrize(
    ("requested_on", "late"),
    [("2026-04-19", False), ("2026-04-20", True)],  # delivered 03-20: the 30th day is 04-19
)
def test_a_request_after_30_days_is_recorded_late_and_runs_no_clock(register, clerk_a, client_for, requested_on, late):
    case = closed_petition(register, clerk_a)
    with at("2026-04-22"):
        review = petition_review_request(
            actor=clerk_a, case=case, version=case.version, kind="recheck", requested_on=D(requested_on),
            office="烟台金融监管分局",
        )  # fmt: skip
        html = page(client_for(clerk_a), case)
    assert review.late is late
    assert ("逾期请求" in html) is late
    assert len(review_deadlines(case)) == (0 if late else 1)
    note = case.events.get(action="review_recheck").note
    assert ("已超过30日的请求期限" in note) is late


def test_after_review_the_same_matter_is_linked_not_accepted_again(register, clerk_a, client_for, institution):
    first = closed_petition(register, clerk_a)
    with at("2026-03-25"):
        petition_review_request(
            actor=clerk_a, case=first, version=first.version, kind="recheck", requested_on=D("2026-03-24"),
            office="烟台金融监管分局",
        )  # fmt: skip
        first.refresh_from_db()
        petition_review_decide(
            actor=clerk_a, case=first, version=first.version, decision="upheld", decided_on=D("2026-03-25")
        )
        first.refresh_from_db()
        petition_review_request(
            actor=clerk_a, case=first, version=first.version, kind="review", requested_on=D("2026-03-25"),
            office="山东金融监管局",
        )  # fmt: skip
    with at("2026-04-10"):
        first.refresh_from_db()
        petition_review_decide(
            actor=clerk_a, case=first, version=first.version, decision="upheld", decided_on=D("2026-04-10")
        )
    with at("2026-05-06"):
        client = client_for(clerk_a)
        # Intake offers the reviewed case as the one to link, and says why.
        found = client.post(
            reverse("complaints:repeat_candidates"), {"phone": "13812345678", "institution": institution.pk}
        ).json()["results"]
        assert [r["number"] for r in found] == [first.number]
        assert "已经复核" in found[0]["reviewed_note"]
        again = register("petition")
        before = (again.version, again.status)
        form = page_form(page(client, again), data_action="petition_accept")
        response = client.post(form.url, form.fill(route="调查处理"), follow=True)
        assert f"同一信访人就同一事项的信访件 {first.number} 已经复核" in response.text
        again.refresh_from_db()
        assert (again.version, again.status) == before
        # The page's duplicate form links it to the reviewed case.
        form = page_form(page(client, again), data_action="duplicate")
        client.post(form.url, form.fill(first_number=first.number))
    again.refresh_from_db()
    assert again.duplicate_of == first and again.closure == "duplicate"


@pytest.mark.parametrize(
    ("code", "started_on", "extension", "due_on"),
    [
        # P-REVIEW, 30 calendar days from the request (条例 Art 35, 36).
        ("P-REVIEW", "2026-09-01", 0, "2026-10-08"),  # 10-01 is 国庆: the next working day
        ("P-REVIEW", "2026-01-01", 0, "2026-02-02"),  # 01-31 is a Saturday
        ("P-REVIEW", "2026-04-05", 0, "2026-05-06"),  # 05-05 is the last day of 劳动节
        ("P-REVIEW", "2026-09-08", 0, "2026-10-08"),  # the first working day after 国庆, on time
        # P-SUGGEST, 60 calendar days from acceptance, extendable by 30 (条例 Art 29, 30).
        ("P-SUGGEST", "2026-03-10", 0, "2026-05-09"),  # a Saturday worked in exchange (调休上班): it stays
        ("P-SUGGEST", "2026-08-02", 0, "2026-10-08"),
        ("P-SUGGEST", "2026-03-10", 30, "2026-06-08"),
    ],
)
def test_review_and_suggestion_clocks_at_fixed_dates_around_holidays(code, started_on, extension, due_on):
    rule = DeadlineRule.objects.get(code=code)
    assert rule.count_kind == "calendar" and rule.days == {"P-REVIEW": 30, "P-SUGGEST": 60}[code]
    assert rule.max_extension_days >= extension
    computed = compute_due(started_on=D(started_on), days=rule.days + extension, kind=rule.count_kind)
    assert computed.due_on == D(due_on)


def test_a_calendar_change_leaves_a_closed_cases_due_date_empty(register, clerk_a):
    """The higher office's P-REVIEW runs on a closed case: moved by a calendar correction, it is not mirrored."""
    from complaints.calendar_sync import cases_follow_moved_deadlines

    case = closed_petition(register, clerk_a)
    with at("2026-03-25"):
        petition_review_request(
            actor=clerk_a, case=case, version=case.version, kind="recheck", requested_on=D("2026-03-24"),
            office="烟台金融监管分局",
        )  # fmt: skip
    running = Deadline.objects.get(object_id=case.pk, rule__code="P-REVIEW", status="open")
    cases_follow_moved_deadlines([running])
    case.refresh_from_db()
    assert case.due_on is None and case.status == "closed"
