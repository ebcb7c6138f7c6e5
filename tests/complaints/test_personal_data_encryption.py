"""ID and phone numbers encrypted at rest, found through a keyed hash, re-encrypted by key rotation (README, "安全")."""

import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from complaints.models import Case, Contact
from complaints.services import possible_repeats
from core import crypto
from mediation.models import MediationCase

from .conftest import VALID_ID, VALID_PHONE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def _raw(table: str, column: str, pk: int, pk_column: str = "id") -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {pk_column} = %s", [pk])  # noqa: S608 - names from the test
        return cursor.fetchone()[0]


def _history_raw(table: str, column: str, pk: int) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 - names from the test
        return [row[0] for row in cursor.fetchall()]


def test_case_and_contact_numbers_are_ciphertext_in_the_tables_and_their_history(register):
    case = register("complaint")
    contact = case.contacts.get()
    for table, pk in (("complaints_case", case.pk), ("complaints_contact", contact.pk)):
        stored_id, stored_phone = _raw(table, "id_number", pk), _raw(table, "phone", pk)
        assert stored_id.startswith(crypto.TOKEN_PREFIX) and VALID_ID not in stored_id
        assert stored_phone.startswith(crypto.TOKEN_PREFIX) and VALID_PHONE not in stored_phone
    for table, pk in (("complaints_historicalcase", case.pk), ("complaints_historicalcontact", contact.pk)):
        values = _history_raw(table, "id_number", pk) + _history_raw(table, "phone", pk)
        assert values and all(value.startswith(crypto.TOKEN_PREFIX) for value in values)
    # The round trip: the application reads the numbers as typed, in the record and in its history.
    case = Case.objects.get(pk=case.pk)
    assert (case.id_number, case.phone) == (VALID_ID, VALID_PHONE)
    assert case.history.first().id_number == VALID_ID
    assert Contact.objects.get(pk=contact.pk).phone == VALID_PHONE


def test_the_same_number_encrypts_differently_each_time_but_hashes_alike(register):
    first, second = register("complaint"), register("complaint")
    assert _raw("complaints_case", "id_number", first.pk) != _raw("complaints_case", "id_number", second.pk)
    assert first.id_number_hash == second.id_number_hash == crypto.blind_index("id", VALID_ID)
    assert VALID_ID not in first.id_number_hash and len(first.id_number_hash) == 64


def test_repeat_detection_finds_the_person_through_the_keyed_hash(register, clerk_a):
    case = register("complaint")
    register("complaint", id_number="", phone="13900000000")
    assert possible_repeats(user=clerk_a, id_number=VALID_ID.lower()) == [case]
    # The phone written another way (spaces, +86) is the same number.
    assert possible_repeats(user=clerk_a, phone="+86 138 1234 5678") == [case]
    assert possible_repeats(user=clerk_a, phone="13700000000") == []


def test_a_corrected_number_moves_its_hash_with_it(register, clerk_a):
    from complaints.services import contact_correct

    contact = register("petition").contacts.get()
    contact_correct(actor=clerk_a, contact=contact, version=contact.version, reason="电话记错", phone="13911112222")
    contact.refresh_from_db()
    assert contact.phone_hash == crypto.blind_index("phone", "13911112222")


def test_mediation_applicant_numbers_are_ciphertext(make_mediation_case):
    case = make_mediation_case()
    stored = _raw("mediation_mediationcase", "applicant_id_number", case.pk)
    assert stored.startswith(crypto.TOKEN_PREFIX)
    assert MediationCase.objects.get(pk=case.pk).applicant_id_number == VALID_ID


@pytest.fixture
def make_mediation_case(clerk_a, orgs):
    import datetime as dt

    from mediation.services import mediation_register
    from tests.factories import make_institution

    def build():
        return mediation_register(
            actor=clerk_a,
            org=clerk_a.org,
            source="direct",
            received_on=dt.date(2026, 3, 2),
            applicant_name="王小明",
            applicant_id_number=VALID_ID,
            applicant_phone=VALID_PHONE,
            institution=make_institution(org=orgs["laizhou"]),
            summary="分期手续费争议",
        )

    return build


def test_key_rotation_re_encrypts_every_row_and_history_under_the_new_key(register, settings):
    case = register("complaint")
    old_key = settings.PERSONAL_DATA_KEYS[0]
    old_token = _raw("complaints_case", "id_number", case.pk)
    history_count = case.history.count()
    new_key = Fernet.generate_key().decode()
    settings.PERSONAL_DATA_KEYS = [new_key, old_key]
    call_command("rotate_personal_data_key", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.PERSONAL_DATA_KEYS = [new_key]  # the old key is dropped after the rotation
    new_token = _raw("complaints_case", "id_number", case.pk)
    assert new_token != old_token
    assert Fernet(new_key.encode()).decrypt(new_token.encode()).decode() == VALID_ID
    for token in _history_raw("complaints_historicalcase", "id_number", case.pk):
        assert Fernet(new_key.encode()).decrypt(token.encode()).decode() == VALID_ID
    case = Case.objects.get(pk=case.pk)
    assert case.id_number == VALID_ID and case.contacts.get().phone == VALID_PHONE
    # Rotation writes no history entries: the values did not change.
    assert case.history.count() == history_count


def test_a_new_hash_key_takes_effect_after_the_rotation_command(register, settings, clerk_a):
    case = register("complaint")
    settings.PERSONAL_DATA_HASH_KEY = "another-hash-key-for-the-rotation-test-0123456789"
    assert possible_repeats(user=clerk_a, id_number=VALID_ID) == []
    call_command("rotate_personal_data_key", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert possible_repeats(user=clerk_a, id_number=VALID_ID) == [case]


def test_plaintext_left_from_before_encryption_is_read_and_then_encrypted_by_the_command(register):
    case = register("complaint")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE complaints_case SET id_number = %s WHERE id = %s", [VALID_ID, case.pk])
    assert Case.objects.get(pk=case.pk).id_number == VALID_ID
    call_command("rotate_personal_data_key", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _raw("complaints_case", "id_number", case.pk).startswith(crypto.TOKEN_PREFIX)


def _django_check(env):
    import os

    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "DEBUG": "false", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "x.example", **env},
    )


def test_production_refuses_the_embedded_development_keys():
    from django.conf import settings

    no_keys = _django_check({"PERSONAL_DATA_KEYS": "", "PERSONAL_DATA_HASH_KEY": "h" * 40})
    assert no_keys.returncode != 0 and "PERSONAL_DATA_KEYS is not set" in no_keys.stderr
    dev_key = _django_check({"PERSONAL_DATA_KEYS": settings.DEV_PERSONAL_DATA_KEY, "PERSONAL_DATA_HASH_KEY": "h" * 40})
    assert dev_key.returncode != 0 and "development key" in dev_key.stderr
    real_key = Fernet.generate_key().decode()
    dev_hash = _django_check(
        {"PERSONAL_DATA_KEYS": real_key, "PERSONAL_DATA_HASH_KEY": settings.DEV_PERSONAL_DATA_HASH_KEY}
    )
    assert dev_hash.returncode != 0 and "PERSONAL_DATA_HASH_KEY is not set" in dev_hash.stderr


def test_a_key_that_is_not_a_fernet_key_is_refused_at_start():
    result = _django_check({"DEBUG": "true", "PERSONAL_DATA_KEYS": "change-me-to-a-fernet-key"})
    assert result.returncode != 0 and "not a Fernet key" in result.stderr
