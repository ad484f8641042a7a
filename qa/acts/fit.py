"""Fit the shipped dialogue-act heads: ``PYTHONPATH=. python -m qa.acts.fit [--lang en]``."""

from __future__ import annotations

import argparse

from qa.acts.heads import fit_heads


def main() -> None:
    from qa.acts.data import languages
    from qa.models.text import TextEmbedder

    ap = argparse.ArgumentParser(description="Fit the shipped dialogue-act heads.")
    ap.add_argument("--lang", action="append", help="a language (default: every one)")
    ap.add_argument("--model", help="the text model (default: the default one)")
    args = ap.parse_args()
    embedder = TextEmbedder(args.model)
    for lang in args.lang or languages():
        print(fit_heads(lang, embedder))


if __name__ == "__main__":
    main()
