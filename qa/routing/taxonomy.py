"""The taxonomy of work types: the shipped file (``work_types.yaml``), extended by a site's own.

Each work type has a direction, the contact reasons it covers, lexical cues and example
utterances per role, and the queues, campaigns and aliases that name it in metadata. A site's
file (``work_types:`` in ``qa.yaml``) has the same shape: an entry with a shipped name adds to
that type, a new name adds a type (it must say its direction). Every problem is reported with
``file:line path`` and raises :class:`qa.yamlfile.FileErrors` (exit 2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from qa.config import Config
from qa.errors import ConfigError
from qa.text import normalise
from qa.vocabulary import Direction
from qa.yamlfile import FileErrors, Loc, format_errors, load_yaml

SHIPPED = Path(__file__).with_name("work_types.yaml")
# Below this confidence a work type, direction or reason is not decided: the default is used.
DEFAULT_MIN_CONFIDENCE = 0.4
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CueSet(_Strict):
    cues: list[str] = Field(default_factory=list, description="Phrases; a trailing * any ending.")
    examples: list[str] = Field(default_factory=list, description="Sentences, compared by meaning.")


class DirectionSpec(_Strict):
    opening: CueSet = Field(
        default_factory=CueSet, description="What the agent says first in a contact this way."
    )
    customer_opening: CueSet = Field(
        default_factory=CueSet, description="What the customer says first in a contact this way."
    )


class RoleCues(_Strict):
    customer: list[str] = Field(default_factory=list)
    agent: list[str] = Field(default_factory=list)


class WorkTypeSpec(_Strict):
    direction: Direction | None = Field(
        None, description="inbound, outbound or callback; empty for a type of any direction."
    )
    description: str = ""
    reasons: list[str] = Field(default_factory=list, description="Contact reasons it covers.")
    prior: float = Field(
        0.0,
        ge=0.0,
        le=1.0,
        description="A head start for the type that takes what its direction's others do not.",
    )
    cues: RoleCues = Field(default_factory=RoleCues)
    examples: RoleCues = Field(default_factory=RoleCues)
    queues: list[str] = Field(default_factory=list, description="Queues that carry only it.")
    campaigns: list[str] = Field(default_factory=list, description="Campaign ids that are it.")
    aliases: list[str] = Field(
        default_factory=list, description="Other names for it in a manifest's work_type column."
    )


class TaxonomyFile(_Strict):
    default: str | None = Field(None, description="The work type of an undecided contact.")
    min_confidence: float | None = Field(
        None,
        ge=0.0,
        le=1.0,
        description=f"Below this a work type is not decided (default {DEFAULT_MIN_CONFIDENCE}).",
    )
    directions: dict[Direction, DirectionSpec] = Field(default_factory=dict)
    contact_reasons: dict[str, CueSet] = Field(default_factory=dict)
    work_types: dict[str, WorkTypeSpec] = Field(default_factory=dict)


@dataclass
class Taxonomy:
    """The shipped work types with a site's additions, ready for detection."""

    types: dict[str, WorkTypeSpec]
    reasons: dict[str, CueSet]
    directions: dict[str, DirectionSpec]
    default: str
    min_confidence: float = DEFAULT_MIN_CONFIDENCE
    files: tuple[Path, ...] = ()
    _aliases: dict[str, str] = field(default_factory=dict, repr=False)
    _queues: dict[str, str] = field(default_factory=dict, repr=False)
    _campaigns: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for name, spec in self.types.items():
            self._aliases[_key(name)] = name
            for alias in spec.aliases:
                self._aliases[_key(alias)] = name
            for queue in spec.queues:
                self._queues[_key(queue)] = name
            for campaign in spec.campaigns:
                self._campaigns[campaign.strip().lower()] = name

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.types)

    def direction_of(self, name: str) -> str | None:
        spec = self.types[name]
        return str(spec.direction) if spec.direction else None

    def of_direction(self, direction: str) -> tuple[str, ...]:
        """The types a contact of this direction can be; a callback is an outbound contact too."""
        allowed = (
            {direction, Direction.CALLBACK} if direction == Direction.OUTBOUND else {direction}
        )
        return tuple(n for n, s in self.types.items() if s.direction in allowed)

    def resolve(self, name: str) -> str | None:
        """The work type a name or alias means, or None."""
        return self._aliases.get(_key(name))

    def for_queue(self, queue: str) -> str | None:
        return self._queues.get(_key(queue)) or self.resolve(queue)

    def for_campaign(self, campaign: str) -> str | None:
        return self._campaigns.get(campaign.strip().lower())

    def require(self, name: str, where: str) -> str:
        """The work type a name means; a ConfigError naming where it was met otherwise."""
        found = self.resolve(name)
        if found is None:
            raise ConfigError(
                f"{where}: unknown work type {name!r}; the work types are {', '.join(self.names)}"
            )
        return found


def _key(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def _where(path: Path, loc: Loc, lines: dict[Loc, int]) -> str:
    for cut in range(len(loc), -1, -1):
        if loc[:cut] in lines:
            return f"{path.name}:{lines[loc[:cut]]} {' → '.join(str(p) for p in loc)}"
    return f"{path.name} {' → '.join(str(p) for p in loc)}"


def _read(path: Path) -> tuple[TaxonomyFile, dict[Loc, int]]:
    data, lines = load_yaml(path)
    if data is None or data == {}:
        return TaxonomyFile(), lines
    if not isinstance(data, dict):
        raise FileErrors([f"{path.name}:1 (top level): must be a mapping of settings"])
    try:
        return TaxonomyFile.model_validate(data), lines
    except ValidationError as exc:
        raise FileErrors(format_errors(path, exc, lines, data)) from exc


def _merge(base: TaxonomyFile, site: TaxonomyFile) -> TaxonomyFile:
    out = base.model_copy(deep=True)
    if site.default is not None:
        out.default = site.default
    if site.min_confidence is not None:
        out.min_confidence = site.min_confidence
    for d, spec in site.directions.items():
        mine = out.directions.setdefault(d, DirectionSpec())
        for part in ("opening", "customer_opening"):
            a, b = getattr(mine, part), getattr(spec, part)
            a.cues += b.cues
            a.examples += b.examples
    for name, cues in site.contact_reasons.items():
        have = out.contact_reasons.setdefault(name, CueSet())
        have.cues += cues.cues
        have.examples += cues.examples
    for name, wt in site.work_types.items():
        if name not in out.work_types:
            out.work_types[name] = wt.model_copy(deep=True)
            continue
        have_t = out.work_types[name]
        if wt.direction is not None:
            have_t.direction = wt.direction
        if wt.description:
            have_t.description = wt.description
        if "prior" in wt.model_fields_set:
            have_t.prior = wt.prior
        for attr in ("reasons", "queues", "campaigns", "aliases"):
            setattr(have_t, attr, [*getattr(have_t, attr), *getattr(wt, attr)])
        for role in ("customer", "agent"):
            getattr(have_t.cues, role).extend(getattr(wt.cues, role))
            getattr(have_t.examples, role).extend(getattr(wt.examples, role))
    return out


def _check(
    path: Path,
    site: TaxonomyFile,
    lines: dict[Loc, int],
    known_types: set[str],
    known_reasons: set[str],
    claimed: dict[str, str],
) -> list[str]:
    """Problems of one file against what is known once it is merged."""
    problems = []
    if site.default is not None and site.default not in known_types:
        problems.append(
            f"{_where(path, ('default',), lines)}: unknown work type {site.default!r}; "
            f"the work types are {', '.join(sorted(known_types))}"
        )
    for name in site.contact_reasons:
        if not _NAME.match(name):
            problems.append(
                f"{_where(path, ('contact_reasons', name), lines)}: a contact reason is "
                "lower case letters, digits and _"
            )
    for name, wt in site.work_types.items():
        loc: Loc = ("work_types", name)
        if not _NAME.match(name):
            problems.append(
                f"{_where(path, loc, lines)}: a work type name is lower case letters, digits and _"
            )
        for i, reason in enumerate(wt.reasons):
            if reason not in known_reasons:
                problems.append(
                    f"{_where(path, (*loc, 'reasons', i), lines)}: unknown contact reason "
                    f"{reason!r}; define it under contact_reasons"
                )
        for attr in ("aliases", "queues", "campaigns"):
            for i, value in enumerate(getattr(wt, attr)):
                key = value.strip().lower() if attr == "campaigns" else _key(value)
                other = claimed.get(f"{attr}:{key}")
                if attr == "aliases" and key in known_types and key != name:
                    other = key
                if other is not None and other != name:
                    problems.append(
                        f"{_where(path, (*loc, attr, i), lines)}: {value!r} already names "
                        f"work type {other!r}"
                    )
                claimed[f"{attr}:{key}"] = name
        for role in ("customer", "agent"):
            for i, cue in enumerate(getattr(wt.cues, role)):
                if not _cue_words(cue):
                    problems.append(
                        f"{_where(path, (*loc, 'cues', role, i), lines)}: a cue needs words"
                    )
    return problems


def _cue_words(cue: str) -> list[str]:
    return [w for w in cue.split() if w == "*" or normalise(w.rstrip("*"))]


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """The shipped taxonomy, extended by a site's file when one is given."""
    return _load(str(path.resolve()) if path is not None else None, _mtime(path))


def site_taxonomy(config: Config) -> Taxonomy:
    """The taxonomy a site's ``qa.yaml`` asks for: the shipped one, extended by its file."""
    return load_taxonomy(config.work_types)


def _mtime(path: Path | None) -> float:
    try:
        return path.stat().st_mtime if path is not None else 0.0
    except OSError:
        return -1.0


@lru_cache(maxsize=8)
def _load(site_path: str | None, _stamp: float) -> Taxonomy:
    files = [SHIPPED] + ([Path(site_path)] if site_path else [])
    if site_path and not Path(site_path).is_file():
        raise FileErrors([f"{site_path}: the work-type file does not exist"])
    merged = TaxonomyFile()
    read: list[tuple[Path, TaxonomyFile, dict[Loc, int]]] = []
    for p in files:
        spec, lines = _read(p)
        read.append((p, spec, lines))
        merged = _merge(merged, spec)
    problems: list[str] = []
    for p, spec, lines in read:
        for name, wt in spec.work_types.items():
            undirected = wt.direction is None and merged.work_types[name].direction is None
            if undirected and name != merged.default and p != SHIPPED:
                problems.append(
                    f"{_where(p, ('work_types', name), lines)}: a new work type needs a "
                    "direction (inbound, outbound or callback)"
                )
    claimed: dict[str, str] = {}
    known_types, known_reasons = set(merged.work_types), set(merged.contact_reasons)
    for p, spec, lines in read:
        problems += _check(p, spec, lines, known_types, known_reasons, claimed)
    if merged.default is None:
        problems.append(
            f"{files[-1].name}: default: is required (the type of an undecided contact)"
        )
    if problems:
        raise FileErrors(problems)
    assert merged.default is not None
    return Taxonomy(
        types=merged.work_types,
        reasons=merged.contact_reasons,
        directions={str(d): s for d, s in merged.directions.items()},
        default=merged.default,
        min_confidence=(
            merged.min_confidence if merged.min_confidence is not None else DEFAULT_MIN_CONFIDENCE
        ),
        files=tuple(files),
    )


def describe(taxonomy: Taxonomy) -> dict[str, Any]:
    """The work types with their direction and reasons, for `qa route` and the docs."""
    return {
        name: {"direction": taxonomy.direction_of(name), "reasons": list(spec.reasons)}
        for name, spec in taxonomy.types.items()
    }
