"""The voice stage: decode, transcribe, separate speakers, label agent and customer."""
