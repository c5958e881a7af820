import datetime
import hashlib

import pytest

from registry.services.register_ids import (
    REGISTER_ID_ATTEMPTS,
    RegisterIdsExhausted,
    is_register_id,
    register_id_candidate,
    register_id_candidates,
    register_id_choose,
)

ONBOARDED_ON = datetime.date(2026, 9, 14)


def test_an_id_has_the_registers_format_with_the_onboarding_year_and_month():
    register_id = register_id_candidate(operating_name="2Schools Consortium", onboarded_on=ONBOARDED_ON, attempt=0)

    assert is_register_id(register_id)
    assert register_id.startswith("RoTP-26")
    assert register_id.endswith("09")


def test_the_same_provider_always_gets_the_same_id():
    first = register_id_candidate(operating_name="2Schools Consortium", onboarded_on=ONBOARDED_ON, attempt=0)
    again = register_id_candidate(operating_name="2Schools Consortium", onboarded_on=ONBOARDED_ON, attempt=0)

    assert first == again


def test_the_id_is_made_from_the_sha256_of_name_date_and_attempt():
    digest = hashlib.sha256(b"2Schools Consortium|2026-09-14-0").hexdigest()
    chunks = [int(digest[i * 8 : i * 8 + 8], 16) for i in range(5)]
    expected = (
        f"RoTP-26{chr(65 + chunks[1] % 26)}{chunks[0] % 10}{chr(65 + chunks[3] % 26)}{chr(65 + chunks[4] % 26)}09"
    )

    assert register_id_candidate(operating_name="2Schools Consortium", onboarded_on=ONBOARDED_ON, attempt=0) == expected


def test_each_attempt_gives_another_id():
    candidates = list(register_id_candidates(operating_name="Bath Spa University", onboarded_on=ONBOARDED_ON))

    assert len(candidates) == REGISTER_ID_ATTEMPTS == 10
    assert len(set(candidates)) == 10
    assert all(is_register_id(candidate) for candidate in candidates)


def test_a_taken_id_is_passed_over_for_the_next_attempt():
    first, second = list(register_id_candidates(operating_name="Bath Spa University", onboarded_on=ONBOARDED_ON))[:2]

    chosen = register_id_choose(
        operating_name="Bath Spa University", onboarded_on=ONBOARDED_ON, taken={first}.__contains__
    )

    assert chosen == second


def test_ten_taken_ids_are_an_error():
    with pytest.raises(RegisterIdsExhausted):
        register_id_choose(operating_name="Bath Spa University", onboarded_on=ONBOARDED_ON, taken=lambda _: True)


def test_a_provider_with_no_onboarding_date_is_dated_today(settings):
    register_id = register_id_candidate(operating_name="Bath Spa University", onboarded_on=None, attempt=0)
    today = datetime.date.today()

    assert register_id.startswith(f"RoTP-{today:%y}")
    assert register_id.endswith(f"{today:%m}")


@pytest.mark.parametrize("value", ["RoTP-26V6KK09", "RoTP-19A0ZZ12"])
def test_register_id_format(value):
    assert is_register_id(value)


@pytest.mark.parametrize("value", ["ROTP-26V6KK09", "RoTP-26V6K09", "RoTP-2AV6KK09", "RoTP-26v6KK09"])
def test_not_register_ids(value):
    assert not is_register_id(value)
