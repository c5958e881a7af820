"""An address Ordnance Survey found, made into the parts the register keeps.

OS gives Royal Mail's parts of an address (organisation, sub-building, building name and number,
street, localities, post town, postcode) in capitals. The register keeps three lines, a town and a
postcode, so the parts are put into lines the way an envelope is addressed: the organisation, then
the building, then the number and street, then the locality; when there are more than three, the
first ones share a line.
"""

import decimal
import re
from dataclasses import asdict, dataclass, fields

# The register's address lines, in order.
LINES = ("address_line_1", "address_line_2", "address_line_3")
# What an address must have for the register to keep it (registry.validators.address_problems).
REQUIRED = ("address_line_1", "town_or_city", "postcode")

# Words that stay in lower case inside a name: "Stoke-on-Trent", "Newcastle upon Tyne".
_MINOR_WORDS = {"and", "at", "by", "de", "in", "of", "on", "the", "upon", "under", "with"}
# A building "name" that is really a number or a range of them ("1A", "12-14"): it goes before the
# street, as a building number does.
_NUMBER_LIKE = re.compile(r"\d+[A-Z]?(-\d+[A-Z]?)?")
_COORDINATE_PLACES = decimal.Decimal("0.0000001")


@dataclass(frozen=True)
class FoundAddress:
    """One address the finder found. Strings throughout (coordinates too), as a draft keeps them."""

    address_line_1: str = ""
    address_line_2: str = ""
    address_line_3: str = ""
    town_or_city: str = ""
    county: str = ""
    postcode: str = ""
    uprn: str = ""
    latitude: str = ""
    longitude: str = ""

    @classmethod
    def from_dpa(cls, dpa: dict) -> "FoundAddress":
        """The address in one of OS's `results[].DPA` records (Royal Mail's delivery point address)."""

        def part(name: str) -> str:
            value = dpa.get(name)
            return " ".join(str(value).split()) if value not in (None, "") else ""

        building_name, number = part("BUILDING_NAME"), part("BUILDING_NUMBER")
        if not number and _NUMBER_LIKE.fullmatch(building_name):
            building_name, number = "", building_name
        street = ", ".join(filter(None, (part("DEPENDENT_THOROUGHFARE_NAME"), part("THOROUGHFARE_NAME"))))
        lines = [
            part("ORGANISATION_NAME"),
            ", ".join(filter(None, (part("SUB_BUILDING_NAME"), building_name))),
            " ".join(filter(None, (number, street))) if street else number,
            ", ".join(filter(None, (part("DOUBLE_DEPENDENT_LOCALITY"), part("DEPENDENT_LOCALITY")))),
        ]
        lines = [name_case(line) for line in lines if line]
        while len(lines) > len(LINES):
            lines[0:2] = [f"{lines[0]}, {lines[1]}"]
        lines += [""] * (len(LINES) - len(lines))
        return cls(
            **dict(zip(LINES, lines, strict=True)),
            town_or_city=name_case(part("POST_TOWN")),
            postcode=part("POSTCODE").upper(),
            uprn=part("UPRN"),
            latitude=_coordinate(dpa.get("LAT")),
            longitude=_coordinate(dpa.get("LNG")),
        )

    @classmethod
    def from_draft(cls, values: dict) -> "FoundAddress":
        names = {each.name for each in fields(cls)}
        return cls(**{name: str(value) for name, value in values.items() if name in names})

    def to_draft(self) -> dict:
        return asdict(self)

    @property
    def missing(self) -> tuple[str, ...]:
        """The parts the register needs that OS did not give: these are asked for by hand."""
        return tuple(name for name in REQUIRED if not getattr(self, name))

    @property
    def is_complete(self) -> bool:
        return not self.missing

    def answers(self) -> dict:
        """The address as the address form's answers (what the person checks, and may change)."""
        return {name: getattr(self, name) for name in (*LINES, "town_or_city", "county", "postcode")}

    def label(self) -> str:
        """The address on one line, as it will be saved: how a result is offered to choose."""
        return ", ".join(value for value in self.answers().values() if value)

    def matches_building(self, building: str) -> bool:
        """Whether `building` ("10", "Rose House", "flat 2") names this address's premises: its words,
        in order, are among the words of its lines (so "10" finds "10 Downing Street", not "110")."""
        wanted = _words(building)
        if not wanted:
            return True
        words = _words(" ".join(getattr(self, line) for line in LINES))
        return any(words[start : start + len(wanted)] == wanted for start in range(len(words)))


def name_case(text: str) -> str:
    """OS's capitals as a name is written: "ST. MARY'S CHURCH OF ENGLAND SCHOOL" → "St. Mary's Church of
    England School", "STOKE-ON-TRENT" → "Stoke-on-Trent"; "12A" and other words with digits stay as they are."""

    def word(each: str, first: bool) -> str:
        if any(character.isdigit() for character in each):
            return each.upper()
        if not first and each.lower() in _MINOR_WORDS:
            return each.lower()
        return each[:1].upper() + each[1:].lower()

    result = []
    for index, token in enumerate(text.split(" ")):
        pieces = token.split("-")
        result.append("-".join(word(piece, index == 0 and at == 0) for at, piece in enumerate(pieces)))
    return " ".join(result)


def _words(text: str) -> list[str]:
    return re.sub(r"[^0-9A-Z]+", " ", text.upper()).split()


def _coordinate(value) -> str:
    """A latitude or longitude as the register keeps it: 7 decimal places (about a centimetre)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return ""
    try:
        number = decimal.Decimal(str(value))
    except decimal.InvalidOperation:
        return ""
    return str(number.quantize(_COORDINATE_PLACES)) if number.is_finite() and abs(number) <= 180 else ""
