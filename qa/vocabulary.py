"""The words every stage shares: channels, statuses, flag kinds with their severities,
diarization modes. Each is spelled out here only; a test greps the package for strays.

They are ``StrEnum``s, so a stored or printed value is the plain word ("voice"), pydantic
models that use them validate and document the same words, and the CLI builds its choices
from them.
"""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    VOICE = "voice"
    CHAT = "chat"
    EMAIL = "email"


CHANNELS: tuple[Channel, ...] = tuple(Channel)


class Status(StrEnum):
    """Where an interaction stands."""

    INGESTED = "ingested"  # a chat or email, read and stored
    REGISTERED = "registered"  # a recording, waiting for transcription
    TRANSCRIBED = "transcribed"
    REVIEW = "review"  # a person should look first: a finding the machine is unsure of
    FAILED = "failed"


class FlagStatus(StrEnum):
    """Where a campaign flag stands."""

    OPEN = "open"  # a violation (or an omission) that stands
    REVIEW = "review"  # unsure (the checker's confidence, or words heard badly): a person decides


FLAG_STATUSES: tuple[FlagStatus, ...] = tuple(FlagStatus)


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"


class FlagKind(StrEnum):
    CONTRADICTION = "contradiction"
    RETIRED_CLAIM = "retired_claim"
    EXPIRED_OFFER = "expired_offer"
    DENIED_OFFER = "denied_offer"
    MISSING_DISCLOSURE = "missing_disclosure"
    MISSED_KEY_POINT = "missed_key_point"


FLAG_SEVERITY: dict[FlagKind, Severity] = {
    FlagKind.CONTRADICTION: Severity.HIGH,
    FlagKind.RETIRED_CLAIM: Severity.HIGH,
    FlagKind.EXPIRED_OFFER: Severity.HIGH,
    FlagKind.DENIED_OFFER: Severity.HIGH,
    FlagKind.MISSING_DISCLOSURE: Severity.MEDIUM,
    FlagKind.MISSED_KEY_POINT: Severity.INFO,
}
FLAG_KINDS: tuple[FlagKind, ...] = tuple(FlagKind)
# What the agent said against a campaign, as opposed to what the agent left out.
VIOLATION_KINDS: tuple[FlagKind, ...] = (
    FlagKind.CONTRADICTION,
    FlagKind.RETIRED_CLAIM,
    FlagKind.EXPIRED_OFFER,
    FlagKind.DENIED_OFFER,
)


class Diarization(StrEnum):
    AUTO = "auto"  # channels for stereo, embedded for mono
    CHANNELS = "channels"
    EMBEDDED = "embedded"
    PYANNOTE = "pyannote"
    NONE = "none"


DIARIZATION_MODES: tuple[Diarization, ...] = tuple(Diarization)


class DiarizationSource(StrEnum):
    """Where a call's speaker turns came from when no mode above made them."""

    VENDOR = "vendor"  # an imported transcript: the telephony or speech platform's own labels


class Direction(StrEnum):
    """Who started the contact. A callback is the centre calling back about an earlier contact."""

    INBOUND = "inbound"
    OUTBOUND = "outbound"
    CALLBACK = "callback"


class PromiseStatus(StrEnum):
    """What a journey shows of an agent's promise with a due time."""

    KEPT = "kept"  # done by the due time
    BROKEN = "broken"  # not done by then, and chased afterwards
    OPEN = "open"  # due after the data ends, or passed and never chased


class RoutingSource(StrEnum):
    """Where a work type, direction or contact reason came from."""

    METADATA = "metadata"  # the manifest or the file name said so
    DETECTED = "detected"  # read from the conversation
    DEFAULT = "default"  # neither: the taxonomy's default, sent to the default rule


DIARIZATION_SOURCES: tuple[str, ...] = (*DIARIZATION_MODES, *DiarizationSource)


def choices(vocabulary: type[StrEnum]) -> list[str]:
    """The plain words of a vocabulary, for click.Choice."""
    return [str(v) for v in vocabulary]


# voice.model's own value: detect each call's language, then use the model voice.models gives it.
AUTO_MODEL = "auto"
