"""A Chinese disclosure's rules follow the campaign as it is now, not as it was first read.

`_zh_given` keeps what it reads of a disclosure (the campaign fact it restates, or the terms
its phrases share) from one sentence to the next. The table was keyed by the campaign's id,
so in a process that lives on (the review app, `qa serve`) a campaign edited under the same
id kept the rules of its old facts. The campaign here is a fictional broadband provider."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from qa.campaigns import check
from qa.campaigns.check import _zh_given
from qa.campaigns.schema import Campaign, PhraseSet

TERM: dict[str, Any] = {
    "id": "contract_term",
    "about": ["合约期", "合约"],
    "value": {"duration": {"amount": 24, "unit": "month"}},
}
FEE: dict[str, Any] = {
    "id": "monthly_fee",
    "about": ["月费"],
    "value": {"money": {"amount": 99, "currency": "CNY", "period": "month"}},
}
NOTICE = PhraseSet(
    id="contract_notice",
    phrases=[
        "合约期二十四个月，提前解约要付违约金",
        "办理后有二十四个月合约期，中途退订需付违约金",
    ],
)
SAID = "签了以后有两年的合约期。"  # the contract term restated; the early-exit fee unsaid


def campaign(*facts: dict[str, Any]) -> Campaign:
    return Campaign.model_validate(
        {
            "version": 2,
            "id": "XH",
            "name": "星河千兆宽带 开年特惠",
            "from": "2027-01-01",
            "to": "2027-03-31",
            "products": ["星河千兆宽带"],
            "facts": list(facts),
        }
    )


@pytest.fixture(autouse=True)
def fresh_rules() -> Iterator[None]:
    saved = dict(check._ZH_RULES)
    check._ZH_RULES.clear()
    yield
    check._ZH_RULES.clear()
    check._ZH_RULES.update(saved)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (campaign(TERM, FEE), campaign(FEE)),  # the fact taken out: every shared term wanted
        (campaign(FEE), campaign(TERM, FEE)),  # the fact put in: its words and a figure do
        (campaign(TERM), campaign({**TERM, "about": ["租期"]})),  # its words changed
    ],
)
def test_a_campaign_edited_under_the_same_id_is_read_afresh(
    before: Campaign, after: Campaign
) -> None:
    first = _zh_given(SAID, NOTICE, before)
    check._ZH_RULES.clear()
    fresh = _zh_given(SAID, NOTICE, after)
    assert fresh is not first  # the edit matters to this sentence
    check._ZH_RULES.clear()
    assert _zh_given(SAID, NOTICE, before) is first
    assert _zh_given(SAID, NOTICE, after) is fresh  # as a fresh process reads it
