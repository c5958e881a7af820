"""The import as one run: everything that can be taken is, with history, and a second run changes nothing."""

import pytest
from django.core.management import CommandError

from registry.models import AcademicYear, Accreditation, Address, Partnership, Provider
from tests.registry.importing.conftest import history_counts, provider, run_import, snapshot

pytestmark = pytest.mark.django_db


def test_every_row_that_can_be_taken_is(imported):
    assert Provider.objects.count() == 21
    assert Partnership.objects.count() == 6
    assert Accreditation.objects.count() == 7
    assert Address.objects.count() == 18
    assert list(AcademicYear.objects.order_by("start_year").values_list("start_year", flat=True)) == list(
        range(2019, 2027)
    )


def test_history_is_attributed_to_no_one_with_the_file_name_as_reason(imported):
    bath = provider("B20")
    [row] = bath.history.all()
    [partnership_row] = Partnership.objects.get(accredited_provider=bath).history.all()

    assert (row.history_type, row.history_user, row.history_change_reason) == (
        "+",
        None,
        "Imported from providers.csv",
    )
    assert sorted(link.academicyear_id for link in row.academic_years.all()) == list(range(2019, 2027))
    assert partnership_row.history_change_reason == "Imported from provider-partnerships.csv"
    assert sorted(link.academicyear_id for link in partnership_row.academic_years.all()) == [2024, 2025, 2026]
    assert set(Accreditation.history.values_list("history_change_reason", "history_user")) == {
        ("Imported from providers.csv", None)
    }
    assert Address.history.count() == Address.objects.count()


def test_importing_again_changes_nothing_and_writes_no_history(imported):
    before, history_before = snapshot(), history_counts()

    out, err = run_import()

    assert snapshot() == before
    assert history_counts() == history_before
    assert "providers unchanged: 21" in out
    assert "partnerships unchanged: 6" in out
    assert "providers added: 0" in out
    assert err == imported[1]


def test_a_file_that_is_not_there_or_lacks_a_column_is_an_error(tmp_path):
    with pytest.raises(CommandError, match=r"missing\.csv cannot be read"):
        run_import(tmp_path / "missing.csv")

    lacking = tmp_path / "providers.csv"
    lacking.write_text("provider__operating_name,provider__code\nBath Spa University,B20\n", encoding="utf-8")
    with pytest.raises(CommandError, match="has no provider__legal_name"):
        run_import(lacking)
    assert not Provider.objects.exists()
