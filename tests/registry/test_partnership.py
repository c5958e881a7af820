"""Which side of a partnership is the partner: said once, by `Partnership`."""

import uuid

import pytest

from registry.models import Partnership
from tests.factories import PartnershipFactory, ProviderFactory

pytestmark = pytest.mark.django_db


def test_each_partner_sees_the_other():
    partnership = PartnershipFactory()
    accredited, training = partnership.accredited_provider, partnership.training_partner

    assert partnership.partner_of(accredited) == training
    assert partnership.partner_of(training) == accredited
    assert partnership.partner_role_for(accredited) == "Training partner"
    assert partnership.partner_role_for(training) == "Accredited provider"
    assert partnership.side_of(accredited) == "accredited_provider"
    assert partnership.partner_side_of(accredited) == "training_partner"


def test_a_provider_may_be_given_by_its_id_in_any_form():
    partnership = PartnershipFactory()
    training = partnership.training_partner

    assert partnership.side_of(training.pk) == "training_partner"
    assert partnership.side_of(str(training.pk)) == "training_partner"


def test_rows_without_a_partnership_are_asked_the_same_way():
    accredited, training = uuid.uuid4(), uuid.uuid4()

    side = Partnership.side_for(str(training), accredited_provider_id=accredited, training_partner_id=training)

    assert side == "training_partner"


def test_a_provider_outside_the_partnership_has_no_partner_in_it():
    partnership = PartnershipFactory()

    with pytest.raises(ValueError, match="not one of the partners"):
        partnership.partner_of(ProviderFactory())


def test_a_new_partner_is_on_the_other_side_of_the_accredited_line():
    partnership = PartnershipFactory()

    assert Partnership.new_partner_side(partnership.accredited_provider) == "training_partner"
    assert Partnership.new_partner_side(partnership.training_partner) == "accredited_provider"
