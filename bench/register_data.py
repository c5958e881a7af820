"""The register the admin-scaling benchmark (bench/admin_scaling.py) runs against: providers generated
straight into the database, and the people who ask for its pages.

Each generated provider is a copy of a real one from fixtures/0003_providers.json (its names, type and
accreditation) with identifiers of its own: a provider code, UKPRN, URN and RoTP id. `ProviderGenerator`
adds them with `bulk_create`, up to each size in turn, and knows what the benchmark's searches look for.

Django is imported inside the functions: the benchmark sets it up (bench.harness.BenchEnvironment)
after importing this module.
"""

import itertools
import json
import random
import re
import time
from collections import Counter

from bench import harness

# Provider codes are 3 letters or digits, and must be unique among kept providers; 36³ = 46,656 is
# fewer than 100,000, so codes past those also use a few punctuation characters (never searched for).
_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_EXTRA = "!#$%&*+-=?@"


class ProviderGenerator:
    """Providers copied from the real ones in fixtures/, each with identifiers of its own."""

    def __init__(self, smallest: int):
        from registry.models.provider import ProviderType

        rows = json.loads((harness.BASE_DIR / "fixtures" / "0003_providers.json").read_text())
        self.templates = [row["fields"] for row in rows if row["model"] == "registry.provider"]
        self.with_urn = {ProviderType.SCHOOL, ProviderType.SCITT}
        shuffle = random.Random(2024)
        alnum = ["".join(code) for code in itertools.product(_ALNUM, repeat=3)]
        shuffle.shuffle(alnum)
        others = [
            "".join(code) for code in itertools.product(_ALNUM + _EXTRA, repeat=3) if any(c in _EXTRA for c in code)
        ]
        shuffle.shuffle(others)
        self.codes = alnum + others
        self.made = 0
        # What the searches look for, all among the providers of the smallest size (so present at every size).
        self.by_code = smallest * 4242 // 10_000
        self.by_ukprn = smallest * 1234 // 10_000
        self.name_word, self.by_name = self._rare_word()

    def _rare_word(self) -> tuple[str, int]:
        """A word found in one real provider's name only: it matches 1 in 2,235 generated providers."""
        words = Counter()
        for fields in self.templates:
            words.update({word.lower() for word in re.findall(r"[A-Za-z]{8,}", fields["operating_name"])})
        rare = sorted(word for word, count in words.items() if count == 1)
        word = rare[len(rare) // 2]
        index = next(i for i, f in enumerate(self.templates) if word in f["operating_name"].lower())
        return word, index

    def ukprn(self, n: int) -> str:
        return str(10_000_000 + (n * 7_919) % 9_000_000)

    def code(self, n: int) -> str:
        return self.codes[n]

    def provider(self, n: int):
        from registry.models import Provider

        fields = self.templates[n % len(self.templates)]
        return Provider(
            operating_name=fields["operating_name"],
            legal_name=fields["legal_name"],
            provider_type=fields["provider_type"],
            accreditation_status=fields["accreditation_status"],
            ukprn=self.ukprn(n),
            urn=str(100_000 + (n * 7_919) % 900_000) if fields["provider_type"] in self.with_urn else "",
            code=self.code(n),
            register_id=self.register_id(n),
        )

    def register_id(self, n: int) -> str:
        return f"RoTP-B{n:07d}"

    def name(self, n: int) -> str:
        return self.templates[n % len(self.templates)]["operating_name"]

    def fill_to(self, size: int) -> float:
        from registry.models import Provider
        from registry.register_version import register_changed

        if size > len(self.codes):
            raise SystemExit(f"at most {len(self.codes):,} providers can have codes of their own")
        began = time.perf_counter()
        for start in range(self.made, size, 10_000):
            batch = [self.provider(n) for n in range(start, min(start + 10_000, size))]
            Provider.objects.bulk_create(batch, batch_size=2_000)
        # bulk_create goes round the models' save(), which says the register changed: say it, as
        # an import does, or what is cached under the register's version would outlive the rows.
        register_changed()
        self.made = size
        return time.perf_counter() - began


def vacuum_analyse() -> None:
    """Bring PostgreSQL's statistics up to date after a generation, so each size is planned as it would be."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE registry_provider")


def create_people() -> dict:
    """The support administrator the admin pages are asked for as ("admin"), and the request headers
    of an API client of ours ("ours", a bearer token) and of DRF's peer ("drf", a DRF token)."""
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token

    from accounts.api_clients import services
    from accounts.models import User
    from accounts.roles import Role

    admin = User.objects.create_user(
        email="bench.administrator@education.gov.uk",
        first_name="Bench",
        last_name="Administrator",
        role=Role.SUPPORT_ADMINISTRATOR.value,
    )
    admin.groups.add(Group.objects.get(name=Role.SUPPORT_ADMINISTRATOR.value))
    api_user = User.objects.create_user(
        email="bench.api.client@example.com", first_name="Bench", last_name="Client", is_api_user=True
    )
    _, issued = services.api_client_create(actor=api_user, name="Benchmark")
    return {
        "admin": admin,
        "ours": {"HTTP_AUTHORIZATION": f"Bearer {issued.secret}"},
        "drf": {"HTTP_AUTHORIZATION": f"Token {Token.objects.create(user=api_user).key}"},
    }
