import pytest
from django.urls import reverse

from complaints.models import ExtensionRequest
from complaints.services import extension_request, petition_accept
from tests.complaints.conftest import VALID_ID

pytestmark = pytest.mark.django_db


def test_case_admin_lists_masked_and_shows_history(client_for, administrator, register, frozen):
    case = register("petition")
    client = client_for(administrator)
    html = client.get(reverse("admin:complaints_case_changelist")).content.decode()
    assert case.number in html and "王**" in html and VALID_ID not in html
    assert client.get(reverse("admin:complaints_case_change", args=[case.pk])).status_code == 200
    assert client.get(reverse("admin:complaints_case_history", args=[case.pk])).status_code == 200
    assert client.get(reverse("admin:complaints_case_add")).status_code == 403


def test_extension_admin_action_goes_through_the_service(client_for, administrator, clerk_a, register, frozen):
    case = register("petition")
    case = petition_accept(actor=clerk_a, case=case, version=1, route="办理")
    request = extension_request(actor=clerk_a, case=case, version=case.version, days=5, reason="复杂")
    client_for(administrator).post(
        reverse("admin:complaints_extensionrequest_changelist"),
        {"action": "approve", "_selected_action": [request.pk]},
    )
    request.refresh_from_db()
    assert request.state == ExtensionRequest.State.APPROVED
    assert case.events.filter(action="extension_approved", approver=administrator).exists()


def test_clerk_role_has_case_permissions_and_supervisor_approves(clerk_a, supervisor):
    assert clerk_a.has_perm("complaints.add_case") and clerk_a.has_perm("complaints.change_contact")
    assert not clerk_a.has_perm("complaints.change_extensionrequest")
    assert supervisor.has_perm("complaints.change_extensionrequest")


def test_case_and_contact_admin_show_personal_data_masked_and_read_only(client_for, administrator, register, frozen):
    from complaints.services import contact_correct

    case = register("petition")
    contact = case.contacts.get()
    contact_correct(actor=administrator, contact=contact, version=contact.version, reason="更正", phone="13911112222")
    client = client_for(administrator)
    for url in (
        reverse("admin:complaints_case_change", args=[case.pk]),
        reverse("admin:complaints_contact_change", args=[contact.pk]),
        reverse("admin:complaints_contact_history", args=[contact.pk]),
    ):
        html = client.get(url).content.decode()
        for full in (VALID_ID, "13812345678", "13911112222", "王小明"):
            assert full not in html, (url, full)
        assert "370683********1237" in html or url.endswith("/history/"), url
        assert 'name="id_number"' not in html and 'name="phone"' not in html, url
    # The history page still says what changed, masked.
    assert "139****2222" in client.get(reverse("admin:complaints_contact_history", args=[contact.pk])).content.decode()


def test_case_and_contact_lists_mask_numbers_typed_into_the_summary(client_for, administrator, register, frozen):
    register("complaint", summary="来电人手机13987654321，身份证" + VALID_ID)
    client = client_for(administrator)
    for url in (reverse("admin:complaints_case_changelist"), reverse("admin:complaints_contact_changelist")):
        html = client.get(url).content.decode()
        assert "139****4321" in html and "13987654321" not in html and VALID_ID not in html, url


def test_case_admin_masks_numbers_typed_into_every_text_and_does_not_edit_the_wording(
    client_for, administrator, clerk_a, register, frozen
):
    typed = "来电人手机13987654321，身份证" + VALID_ID
    case = register("petition", summary=typed, content=typed)
    case = petition_accept(actor=clerk_a, case=case, version=1, route="办理")
    request = extension_request(actor=clerk_a, case=case, version=case.version, days=5, reason="核实" + typed)
    client = client_for(administrator)
    for url in (
        reverse("admin:complaints_case_change", args=[case.pk]),
        reverse("admin:complaints_extensionrequest_change", args=[request.pk]),
    ):
        html = client.get(url).content.decode()
        assert "139****4321" in html, url
        assert "13987654321" not in html and VALID_ID not in html, url
        assert 'name="summary"' not in html and 'name="content"' not in html, url
    # Saving the classification keeps the wording as received.
    html = client.get(reverse("admin:complaints_case_change", args=[case.pk])).content.decode()
    assert 'name="institution"' in html
    case.refresh_from_db()
    assert case.summary == typed
