"""Journey data for the report: the journey pages, and what the agent pages and the team
index show of journeys (first-contact resolution, repeats caused, broken promises, two
stories, the longest journeys and the commonest reasons customers came back)."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from qa.journeys import read
from qa.store import Store

LONGEST = 10  # journeys listed on the team index, most contacts first
REASONS = 8  # repeat reasons listed on the team index


def _rate(num: int, den: int) -> float | None:
    return num / den if den else None


class JourneyReport:
    """The stored journeys that touch the report's interactions, and summaries of them."""

    def __init__(self, store: Store, interaction_ids: set[str], reasons: dict[str, str]):
        self.journeys = [
            j
            for j in read.journeys(store)
            if any(c["interaction_id"] in interaction_ids for c in j["contacts"])
        ]
        self.pages = interaction_ids  # interactions with a transcript page in this report
        self.reasons = reasons  # interaction id -> routed contact reason or work type
        agreement = read.summary(store).get("effort_agreement") or {}
        # Shown only where it says something: a rho over 3 or more surveyed journeys.
        self.agreement = agreement if agreement.get("spearman") is not None else None
        self.journey_of = {
            c["interaction_id"]: j["id"] for j in self.journeys for c in j["contacts"]
        }

    def page(self, journey: dict[str, Any]) -> dict[str, Any]:
        """One journey for its page: contacts numbered, each flag with both moments."""
        number = {c["interaction_id"]: n for n, c in enumerate(journey["contacts"], start=1)}
        flags = []
        for f in journey["flags"]:
            flags.append(
                {
                    **f,
                    "own": number.get(f["interaction_id"]),
                    "other_number": number.get(f["other"]) if f["other"] else None,
                    "right_number": number.get(f["details"].get("right_contact") or ""),
                    "own_quote": next(
                        (e for e in f["evidence"] if "interaction_id" not in e), None
                    ),
                    "other_quote": next(
                        (e for e in f["evidence"] if e.get("interaction_id")), None
                    ),
                }
            )
        contacts = [
            {
                **c,
                "number": number[c["interaction_id"]],
                "repeat_number": number.get(c["repeat_of"]),
                "page": c["interaction_id"] in self.pages,
            }
            for c in journey["contacts"]
        ]
        return {**journey, "contacts": contacts, "flag_list": flags}

    def agent(self, agent_id: str) -> dict[str, Any]:
        first = [j for j in self.journeys if j["contacts"][0]["agent"] == agent_id]
        judged = [j for j in first if j["fcr"] is not None]
        resolved = sum(1 for j in judged if j["fcr"])
        caused = [
            {"journey": j["id"], "contact": c, "earlier": c["repeat_of"]}
            for j in self.journeys
            for c in j["contacts"]
            if c["repeat_of"]
            and any(
                e["interaction_id"] == c["repeat_of"] and e["agent"] == agent_id
                for e in j["contacts"]
            )
        ]
        mine = {
            c["interaction_id"]
            for j in self.journeys
            for c in j["contacts"]
            if c["agent"] == agent_id
        }
        broken = [
            {**f, "journey": j["id"]}
            for j in self.journeys
            for f in j["flags"]
            if f["kind"] == "broken_promise" and f["interaction_id"] in mine
        ]
        stories = [
            {**f, "journey": j["id"]}
            for j in self.journeys
            for f in j["flags"]
            if f["kind"] == "journey_inconsistency"
            and (f["interaction_id"] in mine or f["other"] in mine)
        ]
        return {
            "first_contacts": len(judged),
            "fcr": _rate(resolved, len(judged)),
            "fcr_count": resolved,
            "repeats_caused": caused,
            "broken_promises": broken,
            "inconsistencies": stories,
        }

    def team(self) -> dict[str, Any]:
        longest = sorted(self.journeys, key=lambda j: (-len(j["contacts"]), j["first_at"]))
        reasons: Counter[str] = Counter()
        for j in self.journeys:
            for c in j["contacts"]:
                if c["repeat_of"]:
                    reason = self.reasons.get(c["interaction_id"]) or self.reasons.get(
                        c["repeat_of"]
                    )
                    reasons[reason or j["reason"] or "—"] += 1
        groups: dict[str, dict[str, list[dict[str, Any]]]] = {
            "team": defaultdict(list),
            "channel": defaultdict(list),
            "agent": defaultdict(list),
            "work_type": defaultdict(list),
        }
        for j in self.journeys:
            head = j["contacts"][0]
            groups["team"][head["team"] or "—"].append(j)
            groups["channel"][head["channel"] or "—"].append(j)
            groups["agent"][head["agent"] or "—"].append(j)
            work = head.get("work_type") or self.reasons.get(head["interaction_id"])
            groups["work_type"][work or "—"].append(j)
        summary = []
        for by, table in groups.items():
            for key, js in sorted(table.items()):
                judged = [j for j in js if j["fcr"] is not None]
                summary.append(
                    {
                        "by": by,
                        "key": key,
                        "journeys": len(js),
                        "fcr": _rate(sum(1 for j in judged if j["fcr"]), len(judged)),
                        "effort": sum(j["effort"] for j in js) / len(js),
                        "repeats": sum(len(j["repeats"]) for j in js),
                    }
                )
        return {
            "count": len(self.journeys),
            "longest": [j for j in longest if len(j["contacts"]) > 1][:LONGEST],
            "repeat_reasons": reasons.most_common(REASONS),
            "summary": summary,
            "effort_agreement": self.agreement,
        }
