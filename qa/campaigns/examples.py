"""Campaign examples: sentences people ruled on, kept in the campaign files.

A dismissed flag adopted as an example becomes a `negative` example of the item the flag
is about: the fact it contradicted, the retired claim it made, or the campaign itself (an
offer presented outside its dates, or denied). The checker then raises nothing for that
sentence (normalised, so case, spacing, punctuation and Traditional/Simplified script do not
matter), and `qa campaigns test` keeps every adopted example quiet.

Missed disclosures and key points are not taught this way: the evidence of such a flag is
the pitch, not the words that gave the disclosure; those words go in its `phrases`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qa.errors import ConfigError
from qa.vocabulary import Channel, FlagKind

if TYPE_CHECKING:
    from qa.campaigns.schema import Campaign
    from qa.matching import Matcher
    from qa.model import Flag
    from qa.scorecard.trainer import ExampleCheck

# Which part of a campaign file a flag's examples live in, by the flag's kind.
SECTIONS: dict[str, str] = {
    FlagKind.CONTRADICTION: "facts",
    FlagKind.RETIRED_CLAIM: "retired_claims",
    FlagKind.EXPIRED_OFFER: "campaign",
    FlagKind.DENIED_OFFER: "campaign",
}
_RETIRED = re.compile(r"^retired claim (\S+)")
QUIET, RAISED = "quiet", "raised"


@lru_cache(maxsize=16384)
def sentence_key(text: str) -> str:
    """A sentence as examples compare it: NFKC, Simplified script, lower case, one space.
    Kept per text: every checked interaction compares its flags against every adopted
    example, and the script conversion is the costly part."""
    from qa.statements.zh_quantities import simplified
    from qa.text import normalise

    return normalise(simplified(text))


@dataclass(frozen=True)
class Ruled:
    """The item of a campaign a flag is about, where its examples are kept."""

    campaign: str
    section: str  # facts | retired_claims | campaign
    item: str  # the fact's or claim's id; the campaign's id for the campaign itself

    @property
    def label(self) -> str:
        return self.campaign if self.section == "campaign" else f"{self.section}.{self.item}"


def ruled_item(kind: str, campaign: str | None, fact: str | None) -> Ruled | None:
    """Where a flag's examples live, read from its kind and the `fact` the checker wrote
    (`price: USD 29.00 a month (...)`, `retired claim no_fee from ...`); None for flags
    that are not taught by examples."""
    section = SECTIONS.get(kind)
    if section is None or not campaign:
        return None
    if section == "campaign":
        return Ruled(campaign, section, campaign)
    if section == "facts" and fact and ":" in fact:
        return Ruled(campaign, section, fact.split(":")[0].strip())
    m = _RETIRED.match(fact or "")
    if section == "retired_claims" and m:
        return Ruled(campaign, section, m.group(1))
    return None


def item_of(camp: Campaign, ruled: Ruled) -> Any:
    """The fact, retired claim or campaign that `ruled` names, or None."""
    if ruled.section == "campaign":
        return camp
    items = camp.facts if ruled.section == "facts" else camp.retired_claims
    return next((x for x in items if x.id == ruled.item), None)


def _negatives(campaigns: list[Campaign]) -> dict[Ruled, set[str]]:
    out: dict[Ruled, set[str]] = {}
    for c in campaigns:
        places: list[tuple[str, Any]] = [("campaign", c)]
        places += [("facts", f) for f in c.facts] + [
            ("retired_claims", r) for r in c.retired_claims
        ]
        for section, x in places:
            if x.examples and x.examples.negative:
                key = Ruled(c.id, section, c.id if section == "campaign" else x.id)
                out[key] = {sentence_key(s) for s in x.examples.negative}
    return out


def without_ruled_out(flags: list[Flag], campaigns: list[Campaign]) -> list[Flag]:
    """The flags less those whose agent sentence is a negative example of their item."""
    negatives = _negatives(campaigns)
    if not negatives:
        return flags
    out = []
    for f in flags:
        ruled = ruled_item(f.kind, f.campaign, f.fact)
        quiet = negatives.get(ruled) if ruled else None
        said = [e.quote for e in f.evidence if e.role != "customer"]
        if quiet and any(sentence_key(q) in quiet for q in said):
            continue
        out.append(f)
    return out


# -- adopting ---------------------------------------------------------------------------------


def campaign_file(folder: Path, campaign_id: str) -> Path:
    """The campaign file in `folder` whose id is `campaign_id`."""
    from qa.campaigns.schema import Campaign
    from qa.yamlfile import validate_file

    if not folder.is_dir():
        raise ConfigError(f"no campaign folder at {folder}")
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        try:
            if validate_file(path, Campaign).id == campaign_id:
                return path
        except ConfigError:
            continue
    raise ConfigError(f"no valid campaign file in {folder} has the id {campaign_id!r}")


def adopt_negative(path: Path, ruled: Ruled, sentence: str) -> int:
    """Write `sentence` as a negative example of the item into the campaign file (its
    comments and layout kept); 1 when it is new, 0 when it was there. The file is validated
    before it replaces the old one."""
    from qa.campaigns.schema import Campaign
    from qa.scorecard.adopt import replace_examples, with_item_examples
    from qa.yamlfile import validate_file

    camp = validate_file(path, Campaign)
    if camp.id != ruled.campaign:
        raise ConfigError(f"{path}: is campaign {camp.id!r}, not {ruled.campaign!r}")
    item = item_of(camp, ruled)
    if item is None:
        raise ConfigError(f"{path}: campaign {camp.id} has no {ruled.label}")
    have = list(item.examples.negative) if item.examples else []
    if sentence_key(sentence) in {sentence_key(s) for s in have}:
        return 0
    have.append(sentence)
    text = path.read_text(encoding="utf-8")
    wanted = {"negative": have}
    if ruled.section == "campaign":
        text = replace_examples(text, 0, wanted)
    else:
        text = with_item_examples(text, ruled.item, wanted, path, section=ruled.section)
    tmp = path.with_name(path.name + ".adopting")
    tmp.write_text(text, encoding="utf-8")
    try:
        validate_file(tmp, Campaign)
    except Exception:
        tmp.unlink()
        raise
    tmp.replace(path)
    return 1


# -- testing ----------------------------------------------------------------------------------


def example_contact(camp: Campaign, sentence: str, day: dt.date) -> Any:
    """A chat on `day` in which the customer cites the campaign and the agent says
    `sentence`: the context a sentence about the offer is usually said in."""
    from qa.model import Agent, Interaction, Turn
    from qa.store import content_id

    cite = f"I saw your {camp.name} offer for {camp.products[0]}, can you tell me about it?"
    channel = camp.channels[0] if camp.channels else Channel.CHAT
    when = f"{day.isoformat()}T12:00:00+00:00"
    return Interaction(
        id=content_id("campaign-example", camp.id, sentence, day.isoformat()),
        channel=channel,
        source=f"{camp.id}:example",
        agent=Agent(id="example"),
        started_at=when,
        turns=[
            Turn(role="customer", speaker="customer", text=cite, start=0.0, end=0.0),
            Turn(role="agent", speaker="agent", text=sentence, start=30.0, end=30.0),
        ],
    )


def check_campaign_examples(
    campaigns: list[Campaign], matcher: Matcher | None, where: dict[str, str] | None = None
) -> list[ExampleCheck]:
    """Each negative example, said by the agent after the customer cites the campaign, on
    a day its flag could be raised (inside the window; after it for the campaign's own):
    the checker must raise no flag of that kind on that item."""
    from qa.campaigns.check import check_interaction
    from qa.scorecard.trainer import ExampleCheck

    checks: list[ExampleCheck] = []
    for ruled, _ in _negatives(campaigns).items():
        camp = next(c for c in campaigns if c.id == ruled.campaign)
        item = item_of(camp, ruled)
        kinds = [k for k, s in SECTIONS.items() if s == ruled.section]
        days = [camp.valid_from]
        if ruled.section == "campaign":
            days.append(camp.valid_to + dt.timedelta(days=1))
        for sentence in item.examples.negative:
            raised = []
            for day in days:
                flags = check_interaction(example_contact(camp, sentence, day), campaigns, matcher)
                raised += [
                    f
                    for f in flags
                    if f.kind in kinds and ruled_item(f.kind, f.campaign, f.fact) == ruled
                ]
            name = (where or {}).get(camp.id, camp.id)
            checks.append(
                ExampleCheck(
                    f"{name} examples: negative",
                    ruled.label,
                    QUIET,
                    RAISED if raised else QUIET,
                    sentence if not raised else f"{sentence} -> {raised[0].message}",
                )
            )
    return checks


__all__ = [
    "Ruled",
    "adopt_negative",
    "campaign_file",
    "check_campaign_examples",
    "ruled_item",
    "sentence_key",
    "without_ruled_out",
]
