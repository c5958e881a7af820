import pytest
from django.core.checks import Error
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from registry.checks import persona_sign_in_is_local_only


@pytest.mark.parametrize(
    ("sign_in_method", "debug"),
    [("persona", True), ("dfe-sign-in", False), ("dfe-sign-in", True)],
)
def test_safe_sign_in_settings_pass(settings, sign_in_method, debug):
    settings.SIGN_IN_METHOD = sign_in_method
    settings.DEBUG = debug

    assert persona_sign_in_is_local_only(None) == []


def test_persona_sign_in_with_debug_off_is_an_error(settings):
    settings.SIGN_IN_METHOD = "persona"
    settings.DEBUG = False

    errors = persona_sign_in_is_local_only(None)

    assert [error.id for error in errors] == ["registry.E001"]
    assert all(isinstance(error, Error) for error in errors)


def test_the_check_stops_manage_py_from_running_with_persona_sign_in_and_debug_off(settings):
    settings.SIGN_IN_METHOD = "persona"
    settings.DEBUG = False

    with pytest.raises(SystemCheckError, match=r"registry\.E001"):
        call_command("check")
