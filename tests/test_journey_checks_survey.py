"""Survey gaming: the Fisher test against scipy, the table, and the flag rule."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest

from qa.journeys.model import Contact
from qa.journeys.survey import fisher_one_sided, offered, survey_gaming

T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def _contact(
    n: int,
    agent: str,
    outcome: str | None,
    survey: object,
    team: str = "Care",
    channel: str = "call",
    direction: str | None = "inbound",
    score: object = None,
) -> Contact:
    return Contact(
        interaction_id=f"{agent}-{n}",
        source=f"{agent}-{n}.txt",
        channel=channel,
        started_at=T0,
        agent_id=agent,
        team=team,
        direction=direction,
        initiated_by="customer",
        metadata={"survey_offered": survey, "survey_score": score},
        outcome=outcome,
    )


def _agent(agent: str, res: tuple[int, int], unres: tuple[int, int], team: str = "Care"):
    """res = (offered, of n) on resolved contacts; unres the same on unresolved ones."""
    out = []
    n = 0
    for outcome, (yes, total) in (("resolved", res), ("unresolved", unres)):
        for i in range(total):
            n += 1
            out.append(_contact(n, agent, outcome, "yes" if i < yes else "no", team))
    return out


@pytest.mark.parametrize(
    "table",
    [(10, 2, 1, 7), (5, 1, 3, 2), (0, 5, 5, 0), (3, 0, 0, 3), (7, 3, 2, 9), (1, 1, 1, 1)],
)
def test_fisher_matches_scipy(table):
    stats = pytest.importorskip("scipy.stats")
    expected = stats.fisher_exact([table[:2], table[2:]], alternative="greater").pvalue
    assert fisher_one_sided(*table) == pytest.approx(expected, rel=1e-9)


def test_fisher_matches_scipy_on_every_small_table():
    stats = pytest.importorskip("scipy.stats")
    for table in itertools.product(range(4), repeat=4):
        expected = stats.fisher_exact([table[:2], table[2:]], alternative="greater").pvalue
        assert fisher_one_sided(*table) == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_fisher_rejects_negative_counts():
    with pytest.raises(ValueError, match="counts"):
        fisher_one_sided(1, -1, 2, 2)


def test_offered_reads_yes_no_and_leaves_blanks_out():
    assert offered("Yes") is True and offered("no") is False and offered(True) is True
    assert offered("") is None and offered(None) is None and offered("maybe") is None


def test_agent_who_offers_mostly_when_resolved_is_flagged_with_evidence():
    contacts = _agent("ana", (9, 10), (1, 7))
    contacts += _agent("ben", (4, 6), (3, 6)) + _agent("cat", (5, 8), (4, 7))
    result = survey_gaming(contacts)
    ana = result["ana"]
    assert ana["flag"] is True and ana["tested"] is True
    assert ana["resolved"] == [9, 10] and ana["unresolved"] == [1, 7]
    assert ana["test"] == "one-sided Fisher's exact"
    assert ana["p_one_sided"] == pytest.approx(fisher_one_sided(9, 1, 1, 6), abs=1e-6)
    assert ana["p_one_sided"] < 0.05
    assert ana["gap"] == pytest.approx(0.9 - 1 / 7, abs=1e-4)
    assert ana["rest_of_team"]["resolved"] == [9, 14]
    assert ana["rest_of_team"]["unresolved"] == [7, 13]
    assert "not proof" in ana["reason"]
    assert result["ben"]["flag"] is False and result["ben"]["tested"] is True


def test_significant_but_team_does_the_same_is_not_flagged():
    # The whole team offers on resolved contacts only: a process, not one agent's habit.
    contacts = _agent("ana", (9, 10), (1, 7)) + _agent("ben", (8, 9), (0, 6))
    ana = survey_gaming(contacts)["ana"]
    assert ana["tested"] and ana["p_one_sided"] < 0.05
    assert ana["flag"] is False and "less than 0.3" in ana["reason"]


def test_too_few_unresolved_contacts_is_not_tested():
    contacts = _agent("ana", (9, 10), (0, 4)) + _agent("ben", (4, 6), (3, 6))
    ana = survey_gaming(contacts)["ana"]
    assert ana["tested"] is False and ana["flag"] is False and ana["p_one_sided"] is None
    assert "fewer than 5" in ana["reason"]
    assert survey_gaming(contacts, min_each=4)["ana"]["tested"] is True


def test_other_teams_do_not_count_as_the_rest_of_the_team():
    contacts = _agent("ana", (9, 10), (1, 7)) + _agent("zed", (9, 10), (1, 7), team="Sales")
    ana = survey_gaming(contacts)["ana"]
    assert ana["rest_of_team"]["resolved"] == [0, 0]
    assert ana["flag"] is False and "nothing" not in ana["reason"]
    assert "no resolved or no unresolved" in ana["reason"]


def test_complaints_count_as_unresolved_and_unknowns_are_left_out():
    contacts = [
        _contact(1, "ana", "complaint", "no"),
        _contact(2, "ana", "unresolved", "yes"),
        _contact(3, "ana", "resolved", "yes"),
        _contact(4, "ana", None, "yes"),
        _contact(5, "ana", "resolved", None),  # survey columns blank: not in the unit
        _contact(6, "ana", "resolved", "yes", channel="email"),
        _contact(7, "ana", "resolved", "yes", direction="outbound"),
    ]
    ana = survey_gaming(contacts)["ana"]
    assert ana["resolved"] == [1, 1] and ana["unresolved"] == [1, 2]
    assert ana["outcome_unknown"] == 1
    assert ana["complaint"] == {"offered": [0, 1], "no_complaint_offered": [2, 2]}


def test_thresholds_are_validated():
    with pytest.raises(ValueError, match="alpha"):
        survey_gaming([], alpha=1.5)
    with pytest.raises(ValueError, match="min_each"):
        survey_gaming([], min_each=0)


def test_survey_scores_against_qa_scores():
    contacts = [
        _contact(1, "ana", "resolved", "yes", score=5),
        _contact(2, "ana", "resolved", "yes", score=3),
        _contact(3, "ana", "resolved", "yes", score=None),
        _contact(4, "ana", "resolved", "yes", score=9),  # outside the 1-5 scale given: skipped
    ]
    scores = {"ana-1": 60.0, "ana-2": 0.5, "ana-3": 0.9, "ana-4": 0.1}
    gap = survey_gaming(contacts, qa_scores=scores, survey_scale=(1, 5))["ana"]["survey_vs_qa"]
    assert gap["contacts"] == 2
    assert gap["survey_mean"] == pytest.approx(0.75)
    assert gap["qa_mean"] == pytest.approx(0.55)
    assert gap["gap"] == pytest.approx(0.2)
    assert "survey_vs_qa" not in survey_gaming(contacts)["ana"]


def test_a_transfer_to_the_survey_line_counts_as_an_offer():
    transferred = _contact(1, "ana", "unresolved", None)
    transferred.metadata.update({"survey_transfer": "yes"})
    declined = _contact(2, "ana", "resolved", None)
    declined.metadata.update({"survey_transfer": "no"})
    both = _contact(3, "ana", "resolved", "no")
    both.metadata.update({"survey_transfer": "yes"})
    ana = survey_gaming([transferred, declined, both])["ana"]
    assert ana["unresolved"] == [1, 1] and ana["resolved"] == [1, 2]


def test_the_survey_scale_is_read_from_the_scores_when_not_given():
    one_to_five = [_contact(1, "ana", "resolved", "yes", score=4)]
    gap = survey_gaming(one_to_five, qa_scores={"ana-1": 0.75})["ana"]["survey_vs_qa"]
    assert gap["survey_mean"] == pytest.approx(0.75) and gap["gap"] == pytest.approx(0.0)
    zero_to_ten = one_to_five + [_contact(2, "ana", "resolved", "yes", score=8)]
    gap = survey_gaming(zero_to_ten, qa_scores={"ana-1": 0.4, "ana-2": 0.8})["ana"]["survey_vs_qa"]
    assert gap["survey_mean"] == pytest.approx(0.6) and gap["qa_mean"] == pytest.approx(0.6)
