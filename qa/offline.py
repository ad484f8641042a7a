"""Nothing leaves the machine: telemetry of the model libraries is turned off before any loads.

onnxruntime (under faster-whisper's voice activity detector) starts a "1DS" telemetry
client whose threads look up mobile.events.data.microsoft.com unless ORT_DISABLE_TELEMETRY
is set when its environment is created; Hugging Face libraries report usage unless told
not to; pyannote.audio sends metrics; Ray reports cluster usage. Each is switched off here, when ``qa`` is imported and
again before the first model library is, and a test runs the voice and text paths under
strace to prove that no socket reaches the network.
"""

from __future__ import annotations

import os

# Set before the libraries read them at import time. The telemetry switches are forced;
# the others keep a user's own value.
FORCED = (
    "ORT_DISABLE_TELEMETRY",
    "HF_HUB_DISABLE_TELEMETRY",
    "DO_NOT_TRACK",
    "PYANNOTE_METRICS_ENABLED",
    "RAY_USAGE_STATS_ENABLED",
)
ENVIRONMENT = {
    "ORT_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_IMPLICIT_TOKEN": "1",
    "DO_NOT_TRACK": "1",
    "PYANNOTE_METRICS_ENABLED": "0",
    "RAY_USAGE_STATS_ENABLED": "0",  # Ray reports cluster usage to its vendor unless told not to
}


def set_environment() -> None:
    """The switches above, in this process's environment (inherited by its children)."""
    for key, value in ENVIRONMENT.items():
        if key in FORCED:
            os.environ[key] = value
        else:
            os.environ.setdefault(key, value)


def no_telemetry() -> None:
    """Before a model library is imported: the switches again, in case a caller changed them
    after `import qa`. onnxruntime reads ORT_DISABLE_TELEMETRY when its environment is made;
    its disable_telemetry_events() alone left the DNS lookups in place (measured with strace)."""
    set_environment()
