"""Who sees which mediation case, and what each page shows them."""

import datetime as dt

import pytest
from django.urls import reverse

from core.models import AuditEntry
from mediation.models import Side, Source
from mediation.services import private_note_add

pytestmark = pytest.mark.django_db


def _detail(case):
    return reverse("mediation:detail", args=[case.pk])


def test_anonymous_is_sent_to_login(client, make_mediation):
    case = make_mediation()
    for url in (reverse("mediation:index"), _detail(case), reverse("mediation:figures")):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_outsider_gets_404_everywhere(client_for, other_clerk, make_mediation, paper_mediator):
    case = make_mediation(stage="agreement", mediator=paper_mediator)
    client = client_for(other_clerk)
    for url in (
        _detail(case),
        reverse("mediation:agreement_pdf", args=[case.pk]),
        reverse("mediation:recusal", args=[case.pk]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("mediation:case_action", args=[case.pk, "payment"]), {}).status_code == 404
    assert client.post(reverse("mediation:case_action", args=[case.pk, "consent"]), {}).status_code == 404
    assert case.number not in client.get(reverse("mediation:index")).content.decode()


def test_office_sees_its_cases_and_the_branch_reviewer_reads_them(client_for, clerk_a, reviewer, make_mediation):
    case = make_mediation()
    assert client_for(clerk_a).get(_detail(case)).status_code == 200
    response = client_for(reviewer).get(_detail(case))
    assert response.status_code == 200
    assert 'data-form="consent"' not in response.content.decode()


def test_mediator_sees_only_cases_assigned_to_them_after_declaring(
    client_for, make_mediation, mediator, court_mediator, association_mediator
):
    own = make_mediation(stage="mediating", mediator=court_mediator)
    others = make_mediation(stage="mediating", mediator=association_mediator)
    unassigned = make_mediation(stage="accepted")
    client = client_for(mediator)
    assert client.get(_detail(own)).status_code == 200
    assert client.get(_detail(others)).status_code == 404
    assert client.get(_detail(unassigned)).status_code == 404
    listing = client.get(reverse("mediation:index")).content.decode()
    assert own.number in listing and others.number not in listing and unassigned.number not in listing


def test_assigned_mediator_sees_the_file_only_after_the_recusal_declaration(
    client_for, make_mediation, mediator, court_mediator
):
    case = make_mediation(stage="assigned", mediator=court_mediator)
    client = client_for(mediator)
    assert client.get(_detail(case)).status_code == 404
    page = client.get(reverse("mediation:recusal", args=[case.pk]))
    assert page.status_code == 200
    # The declaration page shows who the parties are, not the file.
    assert "王小明" in page.content.decode() and "未被告知手续费率" not in page.content.decode()
    assert case.number in client.get(reverse("mediation:index")).content.decode()
    response = client.post(
        reverse("mediation:recusal", args=[case.pk]), {"has_conflict": "0", "statement": "无利害关系。"}
    )
    assert response.status_code == 302 and response["Location"] == _detail(case)
    assert client.get(_detail(case)).status_code == 200
    assert client.get(reverse("mediation:recusal", args=[case.pk])).status_code == 404


def test_court_users_see_the_cases_the_court_referred(
    client_for, make_mediation, mediator, court_mediator, paper_mediator
):
    referred = make_mediation(stage="mediating", source=Source.COURT_BEFORE_FILING, mediator=paper_mediator)
    direct = make_mediation(stage="mediating", source=Source.DIRECT, mediator=paper_mediator)
    client = client_for(mediator)
    response = client.get(_detail(referred))
    assert response.status_code == 200
    # Reading is not acting: the court's user is not this case's mediator.
    assert 'data-form="session"' not in response.content.decode()
    assert client.get(_detail(direct)).status_code == 404


def test_a_court_user_assigned_to_a_court_referral_must_still_declare_first(
    client_for, make_mediation, mediator, court_mediator
):
    case = make_mediation(stage="assigned", source=Source.COURT_BEFORE_FILING, mediator=court_mediator)
    client = client_for(mediator)
    assert client.get(_detail(case)).status_code == 404
    assert client.get(reverse("mediation:recusal", args=[case.pk])).status_code == 200


def test_private_notes_are_shown_to_the_mediator_only(
    client_for, clerk_a, supervisor, make_mediation, mediator, court_mediator
):
    case = make_mediation(stage="session", mediator=court_mediator)
    private_note_add(actor=mediator, session=case.sessions.get(), side=Side.RESPONDENT, text="机构底线一千八百元")
    assert "机构底线一千八百元" in client_for(mediator).get(_detail(case)).content.decode()
    assert "机构底线一千八百元" not in client_for(clerk_a).get(_detail(case)).content.decode()
    assert "机构底线一千八百元" not in client_for(supervisor).get(_detail(case)).content.decode()


def test_applicant_data_is_masked_until_revealed_and_the_reveal_is_logged(client_for, clerk_a, make_mediation):
    case = make_mediation()
    client = client_for(clerk_a)
    page = client.get(_detail(case)).content.decode()
    assert "370683********1237" in page and "138****5678" in page
    assert "370683199001011237" not in page and "13812345678" not in page
    revealed = client.post(_detail(case), {"reveal": "1"}).content.decode()
    assert "370683199001011237" in revealed
    assert AuditEntry.objects.filter(action="mediation.case.personal_revealed", object_id=case.pk).exists()


def test_mediator_cannot_register_or_record_consent(client_for, mediator, make_mediation, court_mediator):
    case = make_mediation(stage="mediating", mediator=court_mediator)
    client = client_for(mediator)
    assert client.get(reverse("mediation:register")).status_code == 403
    response = client.post(
        reverse("mediation:case_action", args=[case.pk, "assign"]), {"mediator": court_mediator.pk}, follow=True
    )
    # Refused by the service, as every action of the page: the message, and nothing changed.
    assert "只有本单位的登记办理人员或负责人可以进行此操作。" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "mediating" and case.assigned_on == dt.date(2026, 3, 2)


def test_workstation_list_query_count(client_for, clerk_a, make_mediation, paper_mediator, django_assert_num_queries):
    for _ in range(3):
        make_mediation(stage="mediating", mediator=paper_mediator)
    client = client_for(clerk_a)
    # session, the user with roles and org (one query), the page count, the navigation's unread
    # notification badge, the active mediators for the filter's choices, the page of cases with
    # institution / mediator / partner joined.
    with django_assert_num_queries(6):
        response = client.get(reverse("mediation:index"))
    assert response.status_code == 200
    assert response.content.decode().count("/mediation/") >= 3
    assert "共 3 件，显示第 1–3 件" in response.content.decode()


def test_register_form_rejects_bad_input_in_chinese(client_for, clerk_a, institution, partners):
    response = client_for(clerk_a).post(
        reverse("mediation:register"),
        {
            "source": Source.COURT_AFTER_FILING,
            "referring_partner": partners["court"].pk,
            "received_on": "2026-03-02",
            "applicant_name": "王小明",
            "applicant_phone": "12345",
            "institution": institution.pk,
            "summary": "纠纷",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "电话号码格式不正确" in page
    from mediation.models import MediationCase

    assert not MediationCase.objects.exists()


def test_register_a_court_referral_through_the_form(client_for, clerk_a, institution, partners):
    response = client_for(clerk_a).post(
        reverse("mediation:register"),
        {
            "source": Source.COURT_AFTER_FILING,
            "referring_partner": partners["court"].pk,
            "court_case_number": "（2026）鲁0683民初88号",
            "received_on": dt.date(2026, 3, 2).isoformat(),
            "applicant_name": "王小明",
            "institution": institution.pk,
            "summary": "贷款违约金纠纷",
            "amount_claimed": "1200",
        },
    )
    from mediation.models import MediationCase

    case = MediationCase.objects.get()
    assert response["Location"] == _detail(case)
    assert case.court_case_number == "（2026）鲁0683民初88号" and case.referring_partner == partners["court"]


def test_the_mediator_profile_is_read_once_and_kept_by_the_one_cache_helper(
    mediator, clerk_a, court_mediator, django_assert_num_queries
):
    from core.models import User
    from core.roles import prime_user_caches
    from mediation.access import mediator_profile

    user = User.objects.get(pk=mediator.pk)
    # One query: the roster entry with its partner; the second read comes from Django's relation cache.
    with django_assert_num_queries(1):
        assert mediator_profile(user) == court_mediator
        assert mediator_profile(user).partner.name == "莱州市人民法院"
    assert user.mediator_profile == court_mediator
    # An office clerk has no roster entry: "none" is cached too.
    office = User.objects.get(pk=clerk_a.pk)
    with django_assert_num_queries(1):
        assert mediator_profile(office) is None
        assert mediator_profile(office) is None
    # Primed from a row another query already fetched: no query at all, and a filled cache is kept.
    fresh = User.objects.get(pk=mediator.pk)
    prime_user_caches(fresh, related={"mediator_profile": court_mediator})
    prime_user_caches(fresh, related={"mediator_profile": None})
    with django_assert_num_queries(0):
        assert mediator_profile(fresh) == court_mediator
