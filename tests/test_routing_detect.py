"""Work-type detection: metadata precedence, each kind of cue, the default below the bar, and
the taxonomy's validation. Fast tests: the text embedder is the lexical stand-in."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.errors import ConfigError
from qa.ingest.metadata import Manifest
from qa.model import Interaction, Turn
from qa.routing.detect import cue_pattern, decide
from qa.routing.taxonomy import DEFAULT_MIN_CONFIDENCE, load_taxonomy
from qa.text import normalise
from qa.vocabulary import RoutingSource
from qa.yamlfile import FileErrors


def chat(*turns: tuple[str, str], channel: str = "voice", **kw: object) -> Interaction:
    return Interaction(
        id=kw.pop("id", "x"),  # type: ignore[arg-type]
        channel=channel,
        source="test",
        turns=[Turn(role, text) for role, text in turns],
        **kw,  # type: ignore[arg-type]
    )


RETURN = chat(
    ("agent", "Thanks for calling, how can I help?"),
    ("customer", "The boots I ordered don't fit, I'd like to send them back for a refund."),
)
RENEWAL = chat(
    ("agent", "Hello, is that Mr Gray? I'm calling from the insurer about your home policy."),
    ("customer", "Yes, speaking."),
    ("agent", "Your policy is due for renewal next month and I wanted to go over the price."),
)
CALLBACK = chat(
    ("agent", "Hi, it's Dana from the service desk, I'm calling you back about your complaint."),
    ("customer", "Oh good, thanks."),
    ("agent", "I've looked into it and we'll put a credit on your account as a goodwill gesture."),
)
SURVEY = chat(
    ("agent", "Good evening, I'm calling from the bank with a short survey, it won't take long."),
    ("customer", "Go on then."),
    ("agent", "On a scale of one to ten, how likely are you to recommend us?"),
)


def test_metadata_work_type_always_overrides_detection() -> None:
    """Acceptance 5: a manifest's work_type wins, however clear the conversation is."""
    (plain,) = decide([RETURN])
    assert plain.work_type.value == "inbound_return"
    assert plain.work_type.source == RoutingSource.DETECTED
    for given in ("outbound_survey", "Outbound-Survey", "outbound survey"):
        item = chat(*[(t.role, t.text) for t in RETURN.turns], metadata={"work_type": given})
        (d,) = decide([item])
        assert d.work_type.value == "outbound_survey"
        assert d.work_type.source == RoutingSource.METADATA
        assert d.work_type.confidence == 1.0
        # The type's direction comes with it, from the same metadata.
        assert (d.direction.value, d.direction.source) == ("outbound", RoutingSource.METADATA)


def test_metadata_direction_wins_and_restricts_the_type() -> None:
    item = chat(*[(t.role, t.text) for t in RENEWAL.turns], direction="inbound")
    (d,) = decide([item])
    assert (d.direction.value, d.direction.source) == ("inbound", RoutingSource.METADATA)
    assert d.work_type.value.startswith("inbound_") or d.work_type.source == RoutingSource.DEFAULT


def test_queue_and_campaign_name_a_type_through_the_site_file(tmp_path: Path) -> None:
    site = tmp_path / "types.yaml"
    site.write_text(
        "work_types:\n"
        "  outbound_renewal:\n    queues: [Renewals Team]\n"
        "  outbound_new_product:\n    campaigns: [SPRING-LAUNCH]\n",
        encoding="utf-8",
    )
    tax = load_taxonomy(site)
    by_queue = chat(*[(t.role, t.text) for t in SURVEY.turns], metadata={"queue": "renewals team"})
    by_campaign = chat(*[(t.role, t.text) for t in SURVEY.turns], campaign="spring-launch")
    a, b = decide([by_queue, by_campaign], tax)
    assert (a.work_type.value, a.work_type.source) == ("outbound_renewal", RoutingSource.METADATA)
    assert (b.work_type.value, b.work_type.source) == (
        "outbound_new_product",
        RoutingSource.METADATA,
    )


def test_unknown_work_type_in_metadata_is_an_error() -> None:
    item = chat(("customer", "hello"), metadata={"work_type": "upsell_blitz"})
    with pytest.raises(ConfigError, match="unknown work type 'upsell_blitz'"):
        decide([item])


@pytest.mark.parametrize(
    ("item", "work_type", "direction"),
    [
        (RETURN, "inbound_return", "inbound"),
        (RENEWAL, "outbound_renewal", "outbound"),
        (CALLBACK, "callback_complaint_follow_up", "callback"),
        (SURVEY, "outbound_survey", "outbound"),
    ],
)
def test_each_kind_of_cue(item: Interaction, work_type: str, direction: str) -> None:
    (d,) = decide([item])
    assert d.work_type.value == work_type
    assert d.direction.value == direction
    assert d.work_type.source == RoutingSource.DETECTED
    assert d.work_type.confidence >= DEFAULT_MIN_CONFIDENCE
    supports = {c.supports for c in d.evidence}
    assert f"work_type={work_type}" in supports
    assert f"direction={direction}" in supports
    for clue in d.evidence:
        assert clue.quote in item.turns[clue.turn].text


def test_who_opened_a_chat_sets_the_direction() -> None:
    customer_first = chat(
        ("customer", "I'd like to know when my contract ends."),
        ("agent", "Let me check that for you."),
        channel="chat",
    )
    (d,) = decide([customer_first])
    assert d.direction.value == "inbound"
    assert d.work_type.value == "inbound_inquiry"


def test_nothing_to_go_on_is_the_default() -> None:
    empty = chat(("agent", "Mm."), ("customer", "Yes."))
    (d,) = decide([empty])
    assert d.work_type.value == load_taxonomy().default
    assert d.work_type.source == RoutingSource.DEFAULT
    assert d.work_type.confidence < DEFAULT_MIN_CONFIDENCE
    assert d.direction.source == RoutingSource.DEFAULT
    assert not [c for c in d.evidence if c.supports.startswith("work_type=")]


def test_the_bar_is_the_taxonomy_setting(tmp_path: Path) -> None:
    site = tmp_path / "types.yaml"
    site.write_text("min_confidence: 0.999\n", encoding="utf-8")
    (d,) = decide([RETURN], load_taxonomy(site))
    assert d.work_type.source == RoutingSource.DEFAULT
    assert d.work_type.value == "other"


def test_cue_patterns_match_whole_words_and_endings() -> None:
    assert cue_pattern("cancel*").search(normalise("I cancelled it"))
    assert not cue_pattern("cancel").search(normalise("I cancelled it"))
    assert cue_pattern("this is * calling from").search(normalise("This is Jo calling from X"))
    assert not cue_pattern("return").search(normalise("no returns"))
    assert cue_pattern("add-on").search(normalise("an add on"))


def test_shipped_taxonomy() -> None:
    tax = load_taxonomy()
    assert set(tax.names) == {
        "inbound_inquiry",
        "inbound_complaint",
        "inbound_order",
        "inbound_return",
        "outbound_cross_sell",
        "outbound_renewal",
        "outbound_new_product",
        "outbound_survey",
        "callback_complaint_follow_up",
        "callback_new_customer_care",
        "callback_retention",
        "other",
    }
    assert tax.default == "other"
    assert tax.direction_of("callback_retention") == "callback"
    assert tax.direction_of("other") is None
    for name in tax.names:
        spec = tax.types[name]
        assert spec.reasons, name
        assert spec.examples.customer or spec.examples.agent, name


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("default: nope\n", "types.yaml:1 default: unknown work type 'nope'"),
        (
            "work_types:\n  inbound_return:\n    reasons: [x_ray]\n",
            "types.yaml:3 work_types → inbound_return → reasons → 0: unknown contact reason",
        ),
        (
            "work_types:\n  warranty:\n    description: no direction\n",
            "types.yaml:3 work_types → warranty: a new work type needs a direction",
        ),
        (
            "work_types:\n  warranty:\n    direction: sideways\n",
            "types.yaml:3 work_types → warranty → direction:",
        ),
        (
            "work_types:\n  inbound_return:\n    colour: red\n",
            "types.yaml:3 work_types → inbound_return → colour: unknown key",
        ),
        (
            "work_types:\n  inbound_order:\n    aliases: [inbound_return]\n",
            "types.yaml:3 work_types → inbound_order → aliases → 0: 'inbound_return' already",
        ),
        ("min_confidence: 2\n", "types.yaml:1 min_confidence:"),
        ("work_types:\n  Bad-Name:\n    direction: inbound\n", "lower case letters"),
    ],
)
def test_site_file_errors_name_file_line_and_path(tmp_path: Path, text: str, problem: str) -> None:
    site = tmp_path / "types.yaml"
    site.write_text(text, encoding="utf-8")
    with pytest.raises(FileErrors) as err:
        load_taxonomy(site)
    assert problem in str(err.value)


def test_site_file_adds_a_type(tmp_path: Path) -> None:
    site = tmp_path / "types.yaml"
    site.write_text(
        "contact_reasons:\n  warranty_claim:\n    cues: [warranty]\n"
        "work_types:\n  inbound_warranty:\n    direction: inbound\n"
        "    reasons: [warranty_claim]\n    cues:\n      customer: [under warranty]\n"
        "    examples:\n      customer: [The washer is still covered by its warranty.]\n"
        "    aliases: [warranty-repair]\n",
        encoding="utf-8",
    )
    tax = load_taxonomy(site)
    assert "inbound_warranty" in tax.names
    assert tax.resolve("Warranty-Repair") == "inbound_warranty"
    item = chat(
        ("agent", "Thanks for calling, how can I help?"),
        ("customer", "My washing machine broke and it's still under warranty."),
    )
    (d,) = decide([item], tax)
    assert d.work_type.value == "inbound_warranty"
    assert d.contact_reason.value == "warranty_claim"


def test_manifest_accepts_callback_work_type_and_queue(tmp_path: Path) -> None:
    path = tmp_path / "manifest.csv"
    path.write_text(
        "file,direction,work_type,queue\na.txt,Callback,callback_retention,Loyalty\n",
        encoding="utf-8",
    )
    row = Manifest.load(path).rows["a.txt"]
    assert row["direction"] == "callback"
    assert (row["work_type"], row["queue"]) == ("callback_retention", "Loyalty")
    path.write_text("file,direction\na.txt,sideways\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="manifest.csv:2: direction must be one of"):
        Manifest.load(path)


def test_qa_yaml_names_the_site_file_relative_to_itself(tmp_path: Path) -> None:
    from qa.config import load_config
    from qa.routing.taxonomy import site_taxonomy

    shipped = Path(__file__).parent / "data" / "routing" / "site_work_types.yaml"
    (tmp_path / "types.yaml").write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "qa.yaml").write_text("work_types: types.yaml\n", encoding="utf-8")
    tax = site_taxonomy(load_config(tmp_path / "qa.yaml"))
    assert tax.for_queue("renewals desk") == "outbound_renewal"
    assert tax.resolve("warranty repair") == "inbound_warranty"


@pytest.mark.parametrize(
    ("item", "work_type", "direction"),
    [
        (  # the customer only picked up the phone: the agent's words open the call
            chat(
                ("customer", "Hello?"),
                ("agent", "Hi, is that Ms Reed? I'm calling from the water company."),
                ("customer", "Yes."),
                (
                    "agent",
                    "We've just launched a brand new smart meter and you can be among the first.",
                ),
            ),
            "outbound_new_product",
            "outbound",
        ),
        (  # an email thread the agent opened with news
            chat(
                (
                    "agent",
                    "Dear Ms Reed, your contract comes to an end next month. Reply to renew.",
                ),
                ("customer", "Please renew it at the same price."),
                channel="email",
            ),
            "outbound_renewal",
            "outbound",
        ),
        (  # a bare greeting, then the customer's own story
            chat(
                ("agent", "Hello, Fernway Energy, Sam speaking."),
                (
                    "customer",
                    "Hi, I've been charged twice this month and it's the third time, I'm fed up.",
                ),
            ),
            "inbound_complaint",
            "inbound",
        ),
        (  # the centre calling back about a request to leave
            chat(
                ("agent", "Hi Mr Cole, I'm returning your call about your request to cancel."),
                ("customer", "Yes, I found it cheaper elsewhere."),
                (
                    "agent",
                    "I'd rather not lose you. If I match that price, would you stay with us?",
                ),
            ),
            "callback_retention",
            "callback",
        ),
    ],
)
def test_who_opened_and_how(item: Interaction, work_type: str, direction: str) -> None:
    (d,) = decide([item])
    assert (d.work_type.value, d.direction.value) == (work_type, direction)
    assert d.direction.source == RoutingSource.DETECTED


def test_a_cue_is_compiled_once_per_process() -> None:
    """Each loaded taxonomy asks for its cues' patterns again: the same cue gives the very
    same pattern, and a cue that differs gives its own."""
    assert cue_pattern("cancel*") is cue_pattern("cancel*")
    assert cue_pattern("cancel") is not cue_pattern("cancel*")
    assert not cue_pattern("cancel").search(normalise("I cancelled it"))
