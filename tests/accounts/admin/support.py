"""Reading the engine's pages in the accounts tests: a list's rows, as a person reads them."""

import html
import re


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def list_rows(response) -> list[str]:
    """Each row of a list page's table, as text, cell after cell."""
    return [_text(str(row)) for row in response.context["rows"]]


def first_cells(response) -> list[str]:
    """The first cell of each row (the record's name, linking to its page)."""
    return [_text(re.search(r"<th\b[^>]*>(.*?)</th>", str(row), re.S).group(1)) for row in response.context["rows"]]


def template_names(response) -> set[str]:
    return {template.name for template in response.templates}
