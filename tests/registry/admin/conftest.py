import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import AuditorFactory, SupportEditorFactory, SupportViewerFactory


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user, backend="accounts.backends.ServiceAccountBackend")
    return client


@pytest.fixture
def editor(db):
    return SupportEditorFactory(first_name="Ed", last_name="Itor")


@pytest.fixture
def editor_client(editor):
    return signed_in(editor)


@pytest.fixture
def viewer(db):
    return SupportViewerFactory(first_name="Vi", last_name="Ewer")


@pytest.fixture
def viewer_client(viewer):
    return signed_in(viewer)


@pytest.fixture
def auditor_client(db):
    return signed_in(AuditorFactory())


def provider_url(name: str, *args) -> str:
    return reverse(f"admin:registry_provider_{name}", args=args)


def error_summary(response) -> list[str]:
    """The messages in the page's error summary, in order."""
    content = response.content.decode()
    summary = re.search(r'<div class="app-error-summary".*?</ul>', content, re.S)
    if not summary:
        return []
    items = re.findall(r"<li>(.*?)</li>", summary.group(0), re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in items]


def inline_errors(response) -> dict[str, str]:
    """{question id: its error message} for each question showing an error beside it."""
    content = response.content.decode()
    found = re.findall(r'<p class="app-error-message" id="id_(\w+)-error">.*?</span>\s*(.*?)</p>', content, re.S)
    return {name: html.unescape(message).strip() for name, message in found}


def page_links(response) -> list[str]:
    """The words of the links and link buttons in the page's main part, without their hidden context."""
    main = re.search(r"<main\b.*?</main>", response.content.decode(), re.S).group(0)
    found = re.findall(r'<a class="app-(?:link|button)[^"]*" href="[^"]*">(.*?)</a>', main, re.S)
    hidden = r'<span class="app-visually-hidden">.*?</span>'
    return [html.unescape(re.sub(r"<[^>]+>", "", re.sub(hidden, "", link))).strip() for link in found]


def listed_names(response) -> list[str]:
    """The providers in a list's table, by name, in their order (each row's heading, a link)."""
    found = re.findall(r'<th scope="row"[^>]*><a [^>]*>(.*?)</a></th>', response.content.decode(), re.S)
    return [html.unescape(name) for name in found]


def table_headers(response) -> list[str]:
    return re.findall(r'<th scope="col" class="app-table__header">(.*?)</th>', response.content.decode(), re.S)
