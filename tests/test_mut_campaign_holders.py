"""A Chinese contact about a product the customer already holds, checked whole
(check_interaction): terms said of the customer's own product ("您…") are no offer of an ended
campaign, and stating the terms of a held product is no pitch that owes disclosures; the same
words to a customer who asks to buy are. The campaigns are written here (a fictional
broadband provider: this year's offer and last year's, ended)."""

from __future__ import annotations

from typing import Any

import pytest

from qa.campaigns.check import check_interaction
from qa.campaigns.schema import Campaign
from qa.model import Interaction, Turn

FIBRE = Campaign.model_validate(
    {
        "version": 2,
        "id": "FIBRE-2027",
        "name": "星河千兆宽带 开年特惠",
        "from": "2027-01-01",
        "to": "2027-03-31",
        "products": ["星河千兆宽带", "千兆宽带"],
        "facts": [
            {
                "id": "monthly_fee",
                "about": ["月费", "每个月"],
                "value": {"money": {"amount": 99, "currency": "CNY", "period": "month"}},
            }
        ],
        "disclosures": [{"id": "contract", "phrases": ["合约期二十四个月，提前解约要付违约金"]}],
    }
)
OLD = Campaign.model_validate(
    {
        "version": 2,
        "id": "FIBRE-2026",
        "name": "星河百兆宽带 周年庆",
        "from": "2026-06-01",
        "to": "2026-08-31",
        "products": ["星河百兆宽带", "百兆宽带"],
        "facts": [
            {
                "id": "monthly_fee",
                "about": ["月费"],
                "value": {"money": {"amount": 59, "currency": "CNY", "period": "month"}},
            }
        ],
    }
)

HOLDS_OLD = "我的百兆宽带这个月扣款扣了两次。"  # the customer's own product: a service contact
BUYS_OLD = "我想办百兆宽带。"
HOLDS_NEW = "我的千兆宽带这个月扣款扣了两次。"
BUYS_NEW = "我想办千兆宽带。"
EXPIRED = ("expired_offer", "FIBRE-2026")
OWES = ("missing_disclosure", "FIBRE-2027")


def flags(customer: str, agent: str) -> list[tuple[str, Any]]:
    item = Interaction(
        id="i",
        channel="chat",
        source="s",
        started_at="2027-02-10T10:00:00Z",
        turns=[Turn("customer", customer, 0.0, 1.0), Turn("agent", agent, 1.0, 2.0)],
    )
    return sorted((str(f.kind), f.campaign) for f in check_interaction(item, [FIBRE, OLD]))


@pytest.mark.parametrize(
    ("customer", "agent", "want"),
    [
        # The ended offer's terms said to its holder, to "您": the terms of their contract.
        (HOLDS_OLD, "百兆宽带您每个月付五十九元。", []),
        # Not said to them, or said to a customer who asks to buy it: an ended offer made now.
        (HOLDS_OLD, "百兆宽带月费是五十九元。", [EXPIRED]),
        (BUYS_OLD, "百兆宽带您每个月付五十九元。", [EXPIRED]),
        # The product named as the customer's own ("您的…") is theirs, held or not.
        ("我想问一下。", "您的百兆宽带月费是五十九元。", []),
        (HOLDS_OLD, "您的百兆宽带月费是五十九元。", []),
        # This year's offer: its terms to a holder are no pitch; to a buyer they are, and the
        # pitch owes the disclosure.
        (HOLDS_NEW, "千兆宽带月费是九十九元。", []),
        (HOLDS_NEW, "您的千兆宽带月费是九十九元。", []),
        (BUYS_NEW, "千兆宽带月费是九十九元。", [OWES]),
        # Holding last year's product does not make this year's a service matter.
        (HOLDS_OLD, "另外，千兆宽带月费是九十九元。", [OWES]),
        # "Yes" to a holder's figure agrees with what they say of their account; to a buyer it
        # confirms a wrong price.
        ("我的千兆宽带这个月扣款扣了两次，月费是一百二十九元吧？", "是的。", []),
        ("我想办千兆宽带，月费是一百二十九元吗？", "是的。", [("contradiction", "FIBRE-2027")]),
        # Every sentence of the turn is checked: a flag raised early stays.
        (BUYS_NEW, "千兆宽带月费是一百二十九元。好的。", [("contradiction", "FIBRE-2027"), OWES]),
    ],
)
def test_what_the_customer_holds(customer: str, agent: str, want: list[Any]) -> None:
    assert flags(customer, agent) == want
