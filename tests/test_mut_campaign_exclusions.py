"""A reply that names one of the offer's legitimate exclusions (`eligibility.not_for`) is no
denial of the offer, however it is said: with a negation too ("we don't offer it for ...")."""

from __future__ import annotations

from tests.test_mut_campaign_checks import DENIED, campaign, reply


def test_a_legitimate_exclusion_said_with_a_negation() -> None:
    camp = campaign(eligibility={"open_to": ["existing customers"], "not_for": ["holiday homes"]})
    for said in (
        "We don't offer it for holiday homes.",
        "Sorry, it isn't available for holiday homes.",
        "We can't do it on holiday homes, sorry.",
    ):
        assert reply(camp, said) == []
    assert reply(camp, "We don't offer it for holiday homes. We don't have that offer.") == [DENIED]
