"""What the command reports: every row, or part of a row, not taken, then counts by file and reason."""

import pytest

pytestmark = pytest.mark.django_db


def test_every_row_not_taken_is_reported_with_its_number_and_why(imported):
    _, err = imported
    lines = err.splitlines()

    assert lines[: lines.index(next(line for line in lines if "rows read" in line))] == [
        'providers.csv row 11: URN not taken: "0" is not 5 or 6 digits',
        "providers.csv row 19: address not taken: it has no town or city",
        'providers.csv row 20: UKPRN not taken: "1234567" is not 8 digits',
        "providers.csv row 21: row not taken: there is no operating name",
        "providers.csv row 22: row not taken: Crafted School With No Code has no provider code",
        "providers.csv row 23: row not taken: provider code T92 is already on row 2",
        'providers.csv row 24: row not taken: "college" is not a provider type (hei, scitt, school or other)',
        'providers.csv row 25: address not taken: "SY3 9E" is not a full UK postcode',
        'providers.csv row 26: accreditation not taken: "9697" is not an accredited provider number for this type '
        "of provider",
        "provider-partnerships.csv row 7: row not taken: no provider on the register has code C55",
        "provider-partnerships.csv row 8: row not taken: no provider on the register has code ZZZ",
        "provider-partnerships.csv row 9: row not taken: T92 cannot be in partnership with itself",
        "provider-partnerships.csv row 10: row not taken: there is no partnership start date",
        "provider-partnerships.csv row 11: academic years not taken: 2023 to 2024 not within 1 August 2024 to no end "
        "date",
        "provider-partnerships.csv row 12: row not taken: it ends (2023-07-31) before it starts (2024-08-01)",
        "provider-partnerships.csv row 13: row not taken: the same partnership is on row 2",
    ]


def test_the_report_ends_with_counts_by_file_and_reason(imported):
    out, err = imported

    assert "providers.csv: 25 rows read, 21 taken (5 of them in part), 4 not taken" in err
    assert "  row not taken, provider code repeated: 1" in err
    assert "  address not taken, postcode not valid: 1" in err
    assert "provider-partnerships.csv: 12 rows read, 6 taken (1 of them in part), 6 not taken" in err
    assert "  row not taken, provider code not on the register: 2" in err
    assert "providers added: 21" in out
    assert "partnerships added: 6" in out
    assert "providers with no UKPRN in the file (left empty, with an import note): 1" in out
