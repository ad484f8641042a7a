"""Dialogue acts: what a sentence does (apologise, ask about the customer's situation, pitch...).

``classify(texts, acts)`` gives, per text, a probability per act from few-shot
heads trained on the per-language example files in ``qa/acts/<lang>/``.
"""

from __future__ import annotations

from qa.acts.classifier import classify, forget_heads
from qa.acts.data import ActFile, known_acts, load_acts

__all__ = ["ActFile", "classify", "forget_heads", "known_acts", "load_acts"]
