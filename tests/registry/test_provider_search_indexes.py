"""On PostgreSQL, a search by name or code is answered from indexes, not by reading the whole table.

An index only answers a condition whose expression is its own to the letter (a cast or a function
more or less, and it cannot), so this is what would break silently if either changed.
"""

import pytest
from django.db import connection

from registry.selectors import provider_list
from tests.factories import ProviderFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's"),
]

NAMES = ["registry_provider_search_text_trgm_idx"]

# Each with a code of its own: 3 letters or digits, from its number.
_MANY_PROVIDERS = """
INSERT INTO registry_provider (
    id, created_at, updated_at, operating_name, legal_name, provider_type, accreditation_status,
    ukprn, urn, code, register_id, import_notes, search_text
)
SELECT gen_random_uuid(), now(), now(), 'Provider ' || n || ' Teaching School', '', 'school', 'unaccredited',
       (10000000 + n)::text, '',
       substr(digits, mod(n / 1296, 36) + 1, 1) || substr(digits, mod(n / 36, 36) + 1, 1)
       || substr(digits, mod(n, 36) + 1, 1),
       'RoTP-T' || lpad(n::text, 7, '0'), '{}', 'provider ' || n || ' teaching school'
FROM generate_series(1, %s) AS n, (SELECT '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'::text AS digits) AS alphabet
"""


@pytest.fixture
def register():
    """St Katherine's School among enough providers that reading them all costs more than an index."""
    ProviderFactory(operating_name="St Katherine's School", code="YBZ")
    with connection.cursor() as cursor:
        cursor.execute(_MANY_PROVIDERS, [5_000])
        # What VACUUM would do, which a test's transaction cannot: a GIN index keeps new rows in a
        # pending list, read whole on every lookup, until they are moved into the index proper.
        for index in NAMES:
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
        cursor.execute("ANALYZE registry_provider")


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("search", "indexes"),
    [
        ("katherine", NAMES),
        ("school katherine's", NAMES),
        ("ybz", [*NAMES, "registry_provider_code_unique_among_kept"]),
    ],
    ids=["a word of a name", "words of a name", "what may be a code"],
)
def test_a_search_is_answered_from_indexes(register, search, indexes):
    found = provider_list(search=search).prefetch_related(None)

    for plan in (_plan(found), _plan(found.order_by())):  # the page, and the count
        assert "Seq Scan" not in plan
        for index in indexes:
            assert f"Bitmap Index Scan on {index}" in plan
    assert [provider.operating_name for provider in found] == ["St Katherine's School"]


def test_a_rotp_id_is_looked_up_in_its_unique_index_alone(register):
    found = provider_list(search="rotp-t0000042").prefetch_related(None)

    plan = _plan(found)
    assert "Seq Scan" not in plan
    assert "registry_provider_register_id" in plan
    assert "trgm" not in plan
    assert [provider.operating_name for provider in found] == ["Provider 42 Teaching School"]
