"""GET /api/v1/providers.csv: the register as the providers list's download has it, for API users."""

import csv
import io

import pytest
from django.http import StreamingHttpResponse
from django.utils import timezone

from registry.provider_export import HEADER
from tests.accounts.api_clients.fixtures import bearer
from tests.factories import ArchivedProviderFactory, ProviderFactory, SupportViewerFactory
from tests.registry.admin.conftest import provider_url, signed_in
from tests.support.database_outage import database_unreachable

pytestmark = pytest.mark.django_db

URL = "/api/v1/providers.csv"


def _content(response) -> bytes:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content)


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(_content(response).decode("utf-8-sig"), newline="")))


@pytest.fixture
def register(db):
    return [
        ProviderFactory(operating_name="Oakwood Teaching School"),
        ArchivedProviderFactory(operating_name="Archived Academy"),
        ProviderFactory(operating_name='=HYPERLINK("https://evil.example","Click")'),
        ProviderFactory(operating_name="＝SUM(A1) Teaching School"),
        ProviderFactory(operating_name="Deleted Teaching School", deleted=True),
    ]


def test_an_api_user_gets_the_register_as_csv(api, register):
    response = api(URL)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate()
    assert (
        response["Content-Disposition"] == f'attachment; filename="register-of-training-providers-{today:%Y-%m-%d}.csv"'
    )
    assert "Authorization" in response["Vary"]
    content = _content(response)
    assert content.startswith(b"\xef\xbb\xbf")
    assert b"\n" not in content.replace(b"\r\n", b"")
    header, *rows = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    assert header == list(HEADER)
    # By operating name, as the list has them: "=" comes before the letters, the full-width "＝" after.
    assert [row[1] for row in rows] == [
        '\'=HYPERLINK("https://evil.example","Click")',
        "Archived Academy",
        "Oakwood Teaching School",
        "'＝SUM(A1) Teaching School",
    ]
    assert [row[HEADER.index("Status")] for row in rows] == ["Not archived", "Archived", "Not archived", "Not archived"]


def test_it_is_the_file_the_providers_list_offers(api, register):
    """The same columns and rows, from the same function, as a support user's download."""
    from_the_list = signed_in(SupportViewerFactory()).get(provider_url("download"))

    assert _rows(api(URL)) == _rows(from_the_list)


def test_without_a_working_token_it_is_refused(client, register):
    response = client.get(URL)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert b"Oakwood" not in response.content
    assert client.get(URL, headers=bearer("rotp_live_not-a-token")).status_code == 401


def test_it_takes_no_parameters(api, register):
    response = api(URL, {"include_archived": "false"}, status=400)

    assert response.json()["errors"][0]["field"] == "include_archived"


def test_head_answers_like_get_without_a_body(client, token, register):
    response = client.head(URL, headers=bearer(token))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="register-of-training-providers-')
    assert _content(response) == b""


def test_a_method_it_does_not_take_is_a_json_405(client, token):
    response = client.post(URL, headers=bearer(token))

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_the_database_being_down_is_a_json_503_not_a_file_cut_short(client, token, register):
    # The token is checked once while the database is up, so the outage meets the download itself.
    assert client.get("/api/v1/info", headers=bearer(token)).status_code == 200

    with database_unreachable():
        response = client.get(URL, headers=bearer(token))

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json; charset=utf-8"


def test_the_document_describes_it_as_text_csv(client):
    document = client.get("/api/v1/openapi.json").json()

    operation = document["paths"]["/api/v1/providers.csv"]["get"]
    ok = operation["responses"]["200"]
    assert ok["content"] == {"text/csv": {"schema": {"type": "string"}}}
    assert ok["headers"]["Content-Disposition"]["required"] is True
    assert set(operation["responses"]) == {"200", "400", "401", "429", "500", "503"}
    assert "security" not in operation


def test_the_documentation_page_shows_how_to_download_it(client):
    page = client.get("/api/docs/").content.decode()

    assert "GET /api/v1/providers.csv" in page
    assert "curl -OJ -H" in page
