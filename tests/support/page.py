"""Reading a page in tests the way a person, or their screen reader, meets it."""

from django.test.html import Element, parse_html


class Page:
    def __init__(self, response):
        self.root = parse_html(response.content.decode())

    @property
    def title(self) -> str:
        return text(self.one("title"))

    def all(self, name: str, within: Element | None = None) -> list[Element]:
        return list(_descendants(within or self.root, name))

    def one(self, name: str, within: Element | None = None) -> Element:
        found = self.all(name, within)
        assert len(found) == 1, f"expected one <{name}>, found {len(found)}"
        return found[0]


def _descendants(node: Element, name: str):
    for child in node.children:
        if isinstance(child, Element):
            if child.name == name:
                yield child
            yield from _descendants(child, name)


def text(node: Element | str) -> str:
    """The text a screen reader would read: icons marked aria-hidden are left out."""
    if isinstance(node, str):
        return node.strip()
    if attribute(node, "aria-hidden") == "true":
        return ""
    return " ".join(part for part in (text(child) for child in node.children) if part)


def attribute(element: Element, name: str) -> str | None:
    return dict(element.attributes).get(name)
