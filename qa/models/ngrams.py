"""Character n-grams: a reader of Chinese by the characters two texts share.

Each text becomes the counts of its character 1-, 2- and 3-grams (Simplified script, NFKC,
lower case), each n-gram weighted by its length, hashed into
``NGRAM_DIM`` buckets (CRC-32, the same on every machine and in every process) and scaled
to unit length, so the dot product of two rows is their cosine. No model, no download, no
state: the vectors depend on the text alone, so nothing is cached or stored.

Written Chinese carries its meaning in characters, and contact-centre Chinese says the same
things with the same few characters (抱歉, 理解, 清楚, 还有…吗): two sentences that share
the two- and three-character words of a phrase say what it says, where a multilingual
sentence model puts every polite service sentence close to every other one.
"""

from __future__ import annotations

import unicodedata
import zlib
from functools import lru_cache
from typing import Any

NGRAM_READER = "char-ngrams-1-3"  # the name results depend on (model_name)
NGRAM_DIM = 4096
NGRAM_SIZES = (1, 2, 3)

# Who reads a Chinese sentence as saying a semantic phrase (a scorecard's `reader`;
# qa.matching asks them):
#   both    character n-grams, or the text model (multilingual-e5-small) where it is sure: the
#           higher of the two scores, the model's on a stricter Chinese scale
#           (qa.matching.ZH_MODEL_FLOOR);
#   ngrams  character n-grams alone;
#   model   the text model alone, on its own scale (qa.models.text.rescale).
READERS = ("both", "ngrams", "model")
ZH_READER = "both"
READER_HELP = (
    "who reads Chinese semantic phrases: both (character n-grams, or the text model where it "
    f"is sure), ngrams or model; default {ZH_READER}"
)


def ngram_runs(text: str) -> list[str]:
    """The runs of letters and digits the n-grams are read from (NFKC, Simplified script,
    lower case). Whitespace, punctuation and symbols end a run and count for nothing: two
    sentences do not say the same thing by both holding a comma or an ellipsis, and a slot
    in a trainer's phrase ("您是想……对吗") is a gap, not two words side by side."""
    from qa.language import normalise

    runs: list[str] = []
    run: list[str] = []
    for ch in normalise(text, "zh").lower():
        if unicodedata.category(ch)[0] in "LN":
            run.append(ch)
        elif run:
            runs.append("".join(run))
            run = []
    if run:
        runs.append("".join(run))
    return runs


class CharNgrams:
    """An embedder (``embed(texts)`` gives unit rows) of character n-gram counts."""

    model_name = NGRAM_READER
    model_ref = NGRAM_READER

    def embed(self, texts: list[str]) -> Any:
        import numpy as np

        if not texts:
            return np.zeros((0, NGRAM_DIM), dtype=np.float32)
        return np.stack([_row(text) for text in texts])


@lru_cache(maxsize=65536)
def _row(text: str) -> Any:
    """One text's unit vector (read-only: rows are shared between calls)."""
    import numpy as np

    row = np.zeros(NGRAM_DIM, dtype=np.float32)
    for chars in ngram_runs(text):
        for n in NGRAM_SIZES:
            for i in range(len(chars) - n + 1):
                row[zlib.crc32(chars[i : i + n].encode()) % NGRAM_DIM] += n
    norm = float(np.linalg.norm(row))
    if norm:
        row /= norm
    row.setflags(write=False)
    return row
