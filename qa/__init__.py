"""qa: offline quality assurance and coaching for contact centres."""

__version__ = "0.1.0"

from qa.offline import set_environment  # noqa: E402 - before any model library is imported

set_environment()
