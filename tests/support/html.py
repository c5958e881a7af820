"""Reading pages as a person sees them."""

import html
import re


def page_title(response) -> str:
    """The <title> as a browser shows it, whitespace collapsed."""
    match = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
    return " ".join(html.unescape(match.group(1)).split()) if match else ""


def text(response) -> str:
    """The page's text with tags removed and whitespace collapsed, for finding sentences in it."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())
