import logging
import uuid

import pytest

from accounts.emails.gateway import EmailNotSent, LogGateway, NotifyGateway, email_gateway
from accounts.models import Email
from tests.support.fake_notify import Behaviour, Reply

PERSONALISATION = {
    "first_name": "Siobhan",
    "last_name": "O'Neill",
    "service_url": "https://register.example.gov.uk",
}


def an_email(kind=Email.Kind.SIGN_IN_DETAILS) -> Email:
    # Gateways only read the email, so it need not be saved.
    return Email(kind=kind, to="siobhan.oneill@education.gov.uk", personalisation=PERSONALISATION)


@pytest.mark.parametrize(
    ("kind", "template_setting"),
    [
        (Email.Kind.SIGN_IN_DETAILS, "GOVUK_NOTIFY_TEMPLATE_SIGN_IN_DETAILS"),
        (Email.Kind.ACCOUNT_REMOVED, "GOVUK_NOTIFY_TEMPLATE_ACCOUNT_REMOVED"),
    ],
)
def test_sends_each_kind_with_its_template_and_our_reference(fake_notify, settings, kind, template_setting):
    email = an_email(kind)

    with email_gateway() as gateway:
        notify_id = gateway.send(email=email)

    [received] = fake_notify.emails
    assert notify_id == received.id
    assert received.template_id == getattr(settings, template_setting)
    assert received.email_address == "siobhan.oneill@education.gov.uk"
    assert received.personalisation == PERSONALISATION
    assert received.reference == str(email.id)
    assert received.body.startswith("Dear Siobhan O'Neill,")


def test_finds_an_email_notify_already_has_by_its_reference(fake_notify):
    email = an_email()
    with email_gateway() as gateway:
        notify_id = gateway.send(email=email)

        assert gateway.find(email=email) == notify_id
        assert gateway.find(email=an_email()) is None


@pytest.mark.parametrize(
    ("status", "retryable", "error"),
    [
        (400, False, "BadRequestError: Can't send to this recipient using a team-only API key"),
        (403, False, "AuthError: Invalid token: API key not found"),
        (429, True, "RateLimitError: Exceeded rate limit"),
        (500, True, "Exception: Internal server error"),
        (502, True, "Exception: Bad gateway"),
        (503, True, "Exception: Service unavailable"),
    ],
)
def test_says_which_refusals_may_pass(fake_notify, status, retryable, error):
    fake_notify.respond_next(status)

    with email_gateway() as gateway, pytest.raises(EmailNotSent) as refused:
        gateway.send(email=an_email())

    assert refused.value.retryable is retryable
    assert refused.value.message.startswith(f"GOV.UK Notify answered {status}: {error}")
    assert fake_notify.emails == []


def test_a_wrong_key_is_refused_for_good_and_the_key_is_not_in_the_error(fake_notify, settings):
    settings.GOVUK_NOTIFY_API_KEY = f"test_key-{fake_notify.service_id}-{uuid.uuid4()}"

    with email_gateway() as gateway, pytest.raises(EmailNotSent) as refused:
        gateway.send(email=an_email())

    assert refused.value.retryable is False
    assert "403" in refused.value.message
    assert "AuthError" in refused.value.message
    assert settings.GOVUK_NOTIFY_API_KEY[-36:] not in refused.value.message


def test_an_error_that_echoes_the_key_has_it_taken_out(fake_notify, settings):
    secret = settings.GOVUK_NOTIFY_API_KEY[-36:]
    fake_notify.respond_next(
        Reply(400, {"status_code": 400, "errors": [{"error": "BadRequestError", "message": f"bad key {secret}"}]})
    )

    with email_gateway() as gateway, pytest.raises(EmailNotSent) as refused:
        gateway.send(email=an_email())

    assert secret not in refused.value.message
    assert "bad key [redacted]" in refused.value.message


def test_no_connection_may_pass(fake_notify):
    fake_notify.stop()

    with email_gateway() as gateway, pytest.raises(EmailNotSent) as refused:
        gateway.send(email=an_email())

    assert refused.value.retryable is True
    assert refused.value.message.startswith("Could not reach GOV.UK Notify (ConnectionError")


@pytest.mark.parametrize("behaviour", [Behaviour.ACCEPT_THEN_DROP, Behaviour.ACCEPT_THEN_HANG])
def test_no_answer_may_pass_though_notify_may_have_the_email(fake_notify, settings, behaviour):
    settings.GOVUK_NOTIFY_TIMEOUT_SECONDS = 0.3
    fake_notify.respond_next(behaviour)
    email = an_email()

    with email_gateway() as gateway:
        with pytest.raises(EmailNotSent) as refused:
            gateway.send(email=email)
        found = gateway.find(email=email)

    assert refused.value.retryable is True
    assert refused.value.message.startswith("Could not reach GOV.UK Notify")
    assert found == fake_notify.emails[0].id


def test_a_failed_look_up_is_sorted_like_a_failed_send(fake_notify):
    fake_notify.respond_next(429, endpoint="lookup")

    with email_gateway() as gateway, pytest.raises(EmailNotSent) as refused:
        gateway.find(email=an_email())

    assert refused.value.retryable is True
    assert "RateLimitError" in refused.value.message


def test_uses_notify_when_there_is_a_key_and_the_log_when_there_is_not(settings):
    settings.GOVUK_NOTIFY_API_KEY = f"test_key-{uuid.uuid4()}-{uuid.uuid4()}"
    with email_gateway() as gateway:
        assert isinstance(gateway, NotifyGateway)

    settings.GOVUK_NOTIFY_API_KEY = ""
    with email_gateway() as gateway:
        assert isinstance(gateway, LogGateway)


@pytest.mark.parametrize(
    ("kind", "wording"),
    [(Email.Kind.SIGN_IN_DETAILS, "Sign in"), (Email.Kind.ACCOUNT_REMOVED, "has been removed")],
)
def test_the_log_gateway_writes_the_email_to_the_log(settings, caplog, kind, wording):
    settings.GOVUK_NOTIFY_API_KEY = ""
    email = an_email(kind)

    with caplog.at_level(logging.INFO, logger="accounts.emails"), email_gateway() as gateway:
        notify_id = gateway.send(email=email)
        found = gateway.find(email=email)

    assert notify_id == ""
    assert found is None
    [record] = [each for each in caplog.records if each.name == "accounts.emails"]
    assert record.levelno == logging.INFO
    logged = record.getMessage()
    assert "To: siobhan.oneill@education.gov.uk" in logged
    assert f"Kind: {email.get_kind_display()}" in logged
    # Names are not HTML-escaped in a plain-text email.
    assert "Dear Siobhan O'Neill," in logged
    assert "https://register.example.gov.uk" in logged
    assert wording in logged
