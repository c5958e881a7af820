import re
import unicodedata

from django.db import models
from django.db.models.functions import Upper
from django.db.models.query_utils import DeferredAttribute
from simple_history.models import HistoricalRecords

from registry.activity.history_indexes import IndexedForActivity
from registry.models.base import RegisterRecord


class ProviderType(models.TextChoices):
    HEI = "hei", "Higher education institution (HEI)"
    SCITT = "scitt", "School-centred initial teacher training (SCITT)"
    SCHOOL = "school", "School"
    OTHER = "other", "Other"


class AccreditationStatus(models.TextChoices):
    ACCREDITED = "accredited", "Accredited"
    UNACCREDITED = "unaccredited", "Not accredited"


# Which provider types go with which accreditation status: a SCITT is accredited by definition, and
# an unaccredited SCITT is a school.
TYPES_BY_STATUS = {
    AccreditationStatus.ACCREDITED: (ProviderType.HEI, ProviderType.SCITT, ProviderType.OTHER),
    AccreditationStatus.UNACCREDITED: (ProviderType.HEI, ProviderType.SCHOOL, ProviderType.OTHER),
}
# Schools and SCITTs are in Get Information About Schools, so they have a URN.
TYPES_WITH_URN = (ProviderType.SCHOOL, ProviderType.SCITT)

# Names and searches are made alike before one is looked for in the other, as the DfE's own service
# does: case, accents and punctuation ignored ("St. Mary's" is "st marys", as is "St Mary’s"), "&"
# read as "and", and these words (and runs of words) read as one spelling.
SEARCH_SYNONYMS = {
    "c of e": "church of england",
    "cofe": "church of england",
    "coe": "church of england",
    "ce": "church of england",
    "c e": "church of england",
    "saint": "st",
}
_APOSTROPHES = re.compile(r"['’‘`´ʼ]")
_NOT_LETTERS_OR_DIGITS = re.compile(r"[\W_]+")
_SYNONYM = re.compile(r"\b(?:" + "|".join(sorted(SEARCH_SYNONYMS, key=len, reverse=True)) + r")\b")


def search_text(*texts: str) -> str:
    """`texts` made alike for searching: lower-case words of letters and digits, with one spelling each."""
    made = []
    for text in texts:
        text = unicodedata.normalize("NFKD", (text or "").lower().replace("&", " and "))
        text = "".join(character for character in text if not unicodedata.combining(character))
        text = " ".join(_NOT_LETTERS_OR_DIGITS.sub(" ", _APOSTROPHES.sub("", text)).split())
        made.append(_SYNONYM.sub(lambda word: SEARCH_SYNONYMS[word.group()], text))
    return " ".join(text for text in made if text)


class _SearchTextOfNames(DeferredAttribute):
    """`provider.search_text` is always `search_text` of its names, whatever was loaded or set.

    Every way Django writes a row reads its columns from the instance (save, bulk_create,
    bulk_update, loaddata's raw save), so the column is written as the names make it. What is set
    (by Django, loading a row) is kept only so that Django knows the column was loaded.
    """

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        return search_text(instance.operating_name, instance.legal_name)

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value


class SearchTextField(models.TextField):
    """A provider's names as a search compares them (`search_text`), stored to be indexed."""

    descriptor_class = _SearchTextOfNames


class Provider(RegisterRecord):
    """An initial teacher training provider."""

    operating_name = models.CharField("operating name", max_length=255)
    legal_name = models.CharField("legal name", max_length=255, blank=True)
    provider_type = models.CharField("provider type", max_length=16, choices=ProviderType.choices)
    accreditation_status = models.CharField(
        "accreditation status",
        max_length=16,
        choices=AccreditationStatus.choices,
        default=AccreditationStatus.UNACCREDITED,
        help_text="Follows the provider's current accreditations.",
    )
    ukprn = models.CharField(
        "UK provider reference number (UKPRN)",
        max_length=8,
        blank=True,
        db_index=True,
        help_text="Empty only where an import found none: see the import notes.",
    )
    urn = models.CharField("unique reference number (URN)", max_length=6, blank=True, db_index=True)
    code = models.CharField("provider code", max_length=3)
    register_id = models.CharField("RoTP id", max_length=13, unique=True, editable=False)
    onboarded_on = models.DateField("onboarded on", null=True, blank=True)
    first_active_on = models.DateField("first active on", null=True, blank=True)
    academic_years = models.ManyToManyField(
        "registry.AcademicYear", related_name="providers", blank=True, verbose_name="active academic years"
    )
    archived_at = models.DateTimeField("archived at", null=True, blank=True, editable=False)
    # Indexed with the id instead, for the API's keyset pages (see Meta.indexes).
    updated_at = models.DateTimeField(auto_now=True)
    # Derived from the names whenever the row is written, so neither in fixtures nor in history. A
    # bulk_update that changes a name must list it; SQL that writes a name must write it too.
    search_text = SearchTextField("search text", editable=False, serialize=False)
    import_notes = models.JSONField(
        "import notes",
        default=list,
        blank=True,
        help_text="What an import could not take from its source, so that gaps stay visible.",
    )

    history = HistoricalRecords(
        excluded_fields=["updated_at", "search_text"],
        m2m_fields=[academic_years],
        cascade_delete_history=False,
        bases=[IndexedForActivity],
    )

    class Meta:
        ordering = ["operating_name", "id"]
        permissions = [
            ("archive_provider", "Can archive and restore a provider"),
        ]
        constraints = [
            models.UniqueConstraint(
                Upper("code"),
                condition=models.Q(deleted_at__isnull=True),
                name="registry_provider_code_unique_among_kept",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    accreditation_status=AccreditationStatus.ACCREDITED,
                    provider_type__in=TYPES_BY_STATUS[AccreditationStatus.ACCREDITED],
                )
                | models.Q(
                    accreditation_status=AccreditationStatus.UNACCREDITED,
                    provider_type__in=TYPES_BY_STATUS[AccreditationStatus.UNACCREDITED],
                ),
                name="registry_provider_type_matches_accreditation",
            ),
        ]
        indexes = [
            models.Index(fields=["provider_type", "accreditation_status"], name="registry_provider_type_idx"),
            models.Index(Upper("operating_name"), name="registry_provider_name_idx"),
            models.Index(fields=["updated_at", "id"], name="registry_provider_changed_idx"),
            # What the API lists by default: the last page costs what the first does.
            models.Index(
                fields=["updated_at", "id"],
                condition=models.Q(deleted_at__isnull=True, archived_at__isnull=True),
                name="registry_provider_listed_idx",
            ),
        ]

    def __str__(self):
        return self.operating_name

    def save(self, *args, **kwargs):
        # A save of chosen columns that changes a name writes its search text too.
        if (fields := kwargs.get("update_fields")) is not None and {"operating_name", "legal_name"} & set(fields):
            kwargs["update_fields"] = {*fields, "search_text"}
        super().save(*args, **kwargs)

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def is_accredited(self) -> bool:
        return self.accreditation_status == AccreditationStatus.ACCREDITED
