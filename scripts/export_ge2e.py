"""Write the GE2E voice encoder's weights (resemblyzer's shipped pretrained.pt) as a
NumPy archive that qa's torch-free encoder (qa/voice/ge2e.py) reads.

    python scripts/export_ge2e.py [OUT.npz]     (needs resemblyzer and torch: the pyannote extra)

resemblyzer (Apache-2.0) ships the weights inside a package that requires torch; the
archive keeps only the model's tensors (LSTM 40->256, 3 layers; linear 256->256), in
float32, unchanged. Pin its sha256 in models/registry.yaml after writing it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent.parent / "models" / "ge2e_voice_encoder.npz"


def main() -> None:
    import resemblyzer
    import torch

    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    source = Path(resemblyzer.__file__).parent / "pretrained.pt"
    state = torch.load(source, map_location="cpu", weights_only=False)["model_state"]
    keep = {
        k.replace(".", "_"): v.numpy().astype(np.float32)
        for k, v in state.items()
        if k.startswith(("lstm.", "linear."))
    }
    with out.open("wb") as f:
        np.savez(f, **keep)
    for k, v in keep.items():
        print(k, v.shape)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
