"""Query parameters: each declared once, and from that declaration both checked and documented.

A value the declaration's schema allows is always accepted, and one it does not is refused with
400 and a message naming the parameter: the OpenAPI document tells the truth about both.
"""

import dataclasses
import datetime
import re
from typing import Annotated, Any

import msgspec

from registry.api.errors import BadRequest

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
_TIMESTAMP = Annotated[datetime.datetime, msgspec.Meta(tz=True)]


@dataclasses.dataclass(frozen=True)
class Param:
    name: str
    description: str
    message: str
    example: str | None = None

    def schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def parse(self, raw: str) -> Any:
        """The value of `raw`; ValueError if the schema does not allow it."""
        raise NotImplementedError


@dataclasses.dataclass(frozen=True)
class IntegerParam(Param):
    minimum: int = 0
    maximum: int = 0
    default: int | None = None

    def schema(self):
        schema = {"type": "integer", "minimum": self.minimum, "maximum": self.maximum}
        if self.default is not None:
            schema["default"] = self.default
        return schema

    def parse(self, raw):
        if not raw.isascii() or not raw.isdigit() or len(raw) > len(str(self.maximum)):
            raise ValueError
        value = int(raw)
        if not self.minimum <= value <= self.maximum:
            raise ValueError
        return value


@dataclasses.dataclass(frozen=True)
class BooleanParam(Param):
    # None: what leaving it out means depends on other parameters, as its description says.
    default: bool | None = False

    def schema(self):
        schema = {"type": "boolean"}
        if self.default is not None:
            schema["default"] = self.default
        return schema

    def parse(self, raw):
        if raw not in ("true", "false"):
            raise ValueError
        return raw == "true"


@dataclasses.dataclass(frozen=True)
class TimestampParam(Param):
    def schema(self):
        return {"type": "string", "format": "date-time"}

    def parse(self, raw):
        try:
            value = msgspec.convert(raw, _TIMESTAMP)
        except msgspec.ValidationError:
            raise ValueError from None
        try:
            return value.astimezone(datetime.UTC)
        except OverflowError:
            # Within a day of the earliest or latest time there is: before or after everything.
            extreme = datetime.datetime.min if value.year == 1 else datetime.datetime.max
            return extreme.replace(tzinfo=datetime.UTC)


@dataclasses.dataclass(frozen=True)
class ChoiceParam(Param):
    choices: tuple[str, ...] = ()

    def schema(self):
        return {"type": "string", "enum": list(self.choices)}

    def parse(self, raw):
        if raw not in self.choices:
            raise ValueError
        return raw


@dataclasses.dataclass(frozen=True)
class TextParam(Param):
    max_length: int = 100
    pattern: str | None = None

    def schema(self):
        schema = {"type": "string", "minLength": 1, "maxLength": self.max_length}
        if self.pattern:
            schema["pattern"] = self.pattern
        return schema

    def parse(self, raw):
        if not 1 <= len(raw) <= self.max_length:
            raise ValueError
        if self.pattern and not re.fullmatch(self.pattern, raw):
            raise ValueError
        return raw


# Text with no control characters (which no name, code or number has).
TEXT_PATTERN = r"^[^\x00-\x1f\x7f]+$"


def parse_query(query, params: tuple[Param, ...]) -> dict[str, Any]:
    """The query string's values by name, every one checked; BadRequest listing every fault."""
    declared = {param.name: param for param in params}
    values: dict[str, Any] = {}
    errors = []
    for name, raws in query.lists():
        param = declared.get(name)
        if param is None:
            errors.append((printable(name), f"‘{printable(name)}’ is not a parameter of this operation"))
        elif len(raws) != 1:
            errors.append((name, f"Give ‘{name}’ once"))
        else:
            try:
                if _CONTROL_CHARACTERS.search(raws[0]) and not isinstance(param, TextParam):
                    raise ValueError
                values[name] = param.parse(raws[0])
            except ValueError:
                errors.append((name, param.message))
    if errors:
        raise BadRequest(errors=errors)
    for param in params:
        if param.name not in values and getattr(param, "default", None) is not None:
            values[param.name] = param.default
    return values


def printable(name: str) -> str:
    name = _CONTROL_CHARACTERS.sub("", name)
    return name if len(name) <= 40 else f"{name[:40]}…"
