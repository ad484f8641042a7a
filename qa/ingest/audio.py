"""Audio files are registered here (format, duration, channels, rate) for the voice stage."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from qa.errors import InputError

AUDIO_EXTENSIONS = {
    ".wav",
    ".mp3",
    ".flac",
    ".ogg",
    ".oga",
    ".opus",
    ".m4a",
    ".aac",
    ".wma",
    ".webm",
}


def unreadable_errors() -> tuple[type[BaseException], ...]:
    """What PyAV raises for a file it cannot read: its FFmpeg errors, and I/O errors."""
    import av

    return (av.error.FFmpegError, OSError, EOFError)


def unreadable_reason(what: str, exc: BaseException) -> str:
    """What went wrong, without FFmpeg's error number, and what to do about it."""
    said = re.sub(r"^\[Errno -?\d+\] ", "", str(exc))
    return (
        f"{what} ({type(exc).__name__}: {said}): check that the file was copied whole, or "
        "convert it to WAV or FLAC (e.g. ffmpeg -i FILE call.wav) and score that"
    )


def probe_audio(path: Path) -> dict[str, Any]:
    """Read the container header and the first audio stream; raise InputError if unreadable."""
    import av  # PyAV ships with faster-whisper; imported lazily to keep `qa --help` fast

    try:
        with av.open(str(path)) as container:
            streams = container.streams.audio
            if not streams:
                raise InputError("the file holds no audio stream")
            stream = streams[0]
            duration = None
            if stream.duration is not None and stream.time_base is not None:
                duration = float(stream.duration * stream.time_base)
            elif container.duration is not None:
                duration = container.duration / 1_000_000
            codec = stream.codec_context
            channels = getattr(codec, "channels", None) or len(
                getattr(codec.layout, "channels", [])
            )
            return {
                "format": container.format.name,
                "codec": codec.name,
                "sample_rate": codec.sample_rate,
                "channels": channels,
                "duration": duration,
            }
    except unreadable_errors() as exc:  # anything else is a bug, and surfaces with its traceback
        raise InputError(unreadable_reason("not a readable audio file", exc)) from exc
