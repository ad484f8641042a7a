"""qa: offline quality assurance and coaching for contact centres."""

__version__ = "0.1.0"
