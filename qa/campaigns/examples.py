"""Campaign examples: sentences people ruled on, kept in the campaign files.

A dismissed flag adopted as an example becomes a `negative` example of the item the flag
is about: the fact it contradicted, the retired claim it made, or the campaign itself (an
offer presented outside its dates, or denied). The checker then raises nothing for that
sentence (normalised, so case, spacing, punctuation and Traditional/Simplified script do not
matter), and `qa campaigns test` keeps every adopted example quiet.

A dismissed missed disclosure or key point teaches one of two things. Either the agent did
give it, in other words: the agent sentence(s) the reviewer picks become `positive` examples
of that disclosure or key point (an accepted wording), and a contact where the agent says
one of them has given it. Or it was not owed: the flag's pitch was not a pitch of that
campaign, and the sentence becomes a `not_pitch` example of the campaign, so it obliges no
disclosure or key point. `qa campaigns test` keeps both kinds working.
"""

from __future__ import annotations

import dataclasses
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
# Where a missed disclosure's or key point's accepted wordings live, by the flag's kind.
OBLIGATIONS: dict[str, str] = {
    FlagKind.MISSING_DISCLOSURE: "disclosures",
    FlagKind.MISSED_KEY_POINT: "key_points",
}
_RETIRED = re.compile(r"^retired claim (\S+)")
_OBLIGATION = re.compile(r"^(?:disclosure|key point) (\S+):")
# The kinds of example an adoption writes, and the part of the campaign each goes in.
POSITIVE, NEGATIVE, NOT_PITCH = "positive", "negative", "not_pitch"
# The pitch `qa campaigns test` puts before a positive example: the agent proposes the offer.
EXAMPLE_PITCH = "I can sign you up to {name} today."
QUIET, RAISED = "quiet", "raised"
GIVEN, MISSED, NO_PITCH = "given", "missed", "not pitched without it"


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


def obligation_of(kind: str, campaign: str | None, fact: str | None) -> Ruled | None:
    """The disclosure or key point a missed-obligation flag is about, read from the `fact`
    the checker wrote (`disclosure price_after_term: after 12 months ...`)."""
    section = OBLIGATIONS.get(kind)
    m = _OBLIGATION.match(fact or "")
    if section is None or not campaign or m is None:
        return None
    return Ruled(campaign, section, m.group(1))


def said_as_adopted(item: Any, text: str) -> bool:
    """Whether an agent sentence is one of a disclosure's or key point's accepted wordings
    (its `positive` examples), compared normalised, or nearly, as its phrases are."""
    positives = getattr(item, "positives", None)
    if not positives:
        return False
    from qa.matching import fuzzy_score
    from qa.statements.numbers import digits

    key = sentence_key(text)
    return any(
        sentence_key(p) == key or fuzzy_score(digits(p), digits(text)) >= 0.85 for p in positives
    )


def not_a_pitch(camp: Campaign, text: str) -> bool:
    """Whether people ruled that this agent sentence does not pitch the campaign."""
    quiet = camp.examples.not_pitch if camp.examples else None
    return bool(quiet) and sentence_key(text) in {sentence_key(s) for s in quiet or ()}


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
    sections: dict[str, list[Any]] = {
        "facts": list(camp.facts),
        "retired_claims": list(camp.retired_claims),
        "disclosures": list(camp.disclosures),
        "key_points": list(camp.key_points),
    }
    items = sections.get(ruled.section, [])
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
    return adopt_example(path, ruled, sentence, NEGATIVE)


# Which kinds of example each part of a campaign file holds.
_KINDS: dict[str, tuple[str, ...]] = {
    "campaign": (NEGATIVE, NOT_PITCH),
    "facts": (NEGATIVE,),
    "retired_claims": (NEGATIVE,),
    "disclosures": (POSITIVE,),
    "key_points": (POSITIVE,),
}


def adopt_example(path: Path, ruled: Ruled, sentence: str, kind: str) -> int:
    """Write `sentence` as an example of `kind` (negative, positive, not_pitch) of the item
    into the campaign file, its other examples, comments and layout kept; 1 when it is new,
    0 when it was there. The file is validated (file:line errors) before it replaces the old
    one."""
    from qa.campaigns.schema import Campaign
    from qa.scorecard.adopt import replace_examples, with_item_examples
    from qa.yamlfile import validate_file

    if kind not in _KINDS.get(ruled.section, ()):
        raise ConfigError(f"{ruled.label}: takes no {kind} examples")
    camp = validate_file(path, Campaign)
    if camp.id != ruled.campaign:
        raise ConfigError(f"{path}: is campaign {camp.id!r}, not {ruled.campaign!r}")
    item = item_of(camp, ruled)
    if item is None:
        raise ConfigError(f"{path}: campaign {camp.id} has no {ruled.label}")
    wanted = {
        k: list(getattr(item.examples, k)) if item.examples else [] for k in _KINDS[ruled.section]
    }
    have = wanted[kind]
    if sentence_key(sentence) in {sentence_key(s) for s in have}:
        return 0
    have.append(sentence)
    text = path.read_text(encoding="utf-8")
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
    """Each example through the checker, in a chat where the customer cites the campaign:
    a negative example said by the agent on a day its flag could be raised (inside the
    window; after it for the campaign's own) must raise no flag of that kind on that item;
    a `not_pitch` example on the first day must oblige no disclosure or key point; a
    positive example said after a pitch (`EXAMPLE_PITCH`) must give its disclosure or key
    point, which the pitch alone must leave missed (else the check could not fail)."""
    checks = _negative_checks(campaigns, matcher, where)
    checks += _obligation_checks(campaigns, matcher, where)
    return checks


def _negative_checks(
    campaigns: list[Campaign], matcher: Matcher | None, where: dict[str, str] | None
) -> list[ExampleCheck]:
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


def _obligation_checks(
    campaigns: list[Campaign], matcher: Matcher | None, where: dict[str, str] | None
) -> list[ExampleCheck]:
    from qa.campaigns.check import check_interaction
    from qa.scorecard.trainer import ExampleCheck

    def owed(item: Any) -> list[Ruled]:
        return [
            r
            for f in check_interaction(item, campaigns, matcher)
            if (r := obligation_of(f.kind, f.campaign, f.fact)) is not None
        ]

    checks: list[ExampleCheck] = []
    for camp in campaigns:
        name = (where or {}).get(camp.id, camp.id)
        for sentence in camp.examples.not_pitch if camp.examples else []:
            missed = [r for r in owed(example_contact(camp, sentence, camp.valid_from))
                      if r.campaign == camp.id]  # fmt: skip
            checks.append(
                ExampleCheck(
                    f"{name} examples: not_pitch",
                    camp.id,
                    QUIET,
                    RAISED if missed else QUIET,
                    sentence if not missed else f"{sentence} -> owes {missed[0].label}",
                )
            )
        pitch = EXAMPLE_PITCH.format(name=camp.name)
        for section, items in (("disclosures", camp.disclosures), ("key_points", camp.key_points)):
            for ob in items:
                ruled = Ruled(camp.id, section, ob.id)
                if not ob.positives:
                    continue
                alone = ruled in owed(example_contact(camp, pitch, camp.valid_from))
                for sentence in ob.positives:
                    contact = example_contact(camp, pitch, camp.valid_from)
                    contact.turns.append(
                        dataclasses.replace(contact.turns[-1], text=sentence, start=60.0, end=60.0)
                    )
                    still = ruled in owed(contact)
                    got = GIVEN if alone and not still else MISSED if still else NO_PITCH
                    checks.append(
                        ExampleCheck(
                            f"{name} examples: positive",
                            ruled.label,
                            GIVEN,
                            got,
                            sentence
                            if got == GIVEN
                            else f"{sentence} -> {got}: {pitch!r} then this sentence",
                        )
                    )
    return checks


__all__ = [
    "Ruled",
    "adopt_example",
    "adopt_negative",
    "not_a_pitch",
    "obligation_of",
    "said_as_adopted",
    "campaign_file",
    "check_campaign_examples",
    "ruled_item",
    "sentence_key",
    "without_ruled_out",
]
