"""A tiny, randomly initialised pyannote.audio diarization pipeline, written to a folder
exactly as a downloaded one is laid out, so the real loading code path can be tested offline."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import yaml

LDA_DIM = 8


def _tiny_embedding_class():  # type: ignore[no-untyped-def]
    from pyannote.audio.models.embedding.debug import SimpleEmbeddingModel

    class TinyEmbedding(SimpleEmbeddingModel):
        """The debug embedding model, taking the frame weights the pipeline passes."""

        def forward(self, waveforms, weights=None):  # type: ignore[no-untyped-def]
            return super().forward(waveforms)

    TinyEmbedding.__module__ = __name__
    TinyEmbedding.__qualname__ = "TinyEmbedding"
    return TinyEmbedding


TinyEmbedding = _tiny_embedding_class()


def _save_model(model, folder: Path) -> Path:  # type: ignore[no-untyped-def]
    import lightning
    import torch

    folder.mkdir(parents=True, exist_ok=True)
    checkpoint = {
        "state_dict": model.state_dict(),
        "hyper_parameters": dict(model.hparams),
        "pytorch-lightning_version": lightning.__version__,
    }
    model.on_save_checkpoint(checkpoint)
    path = folder / "pytorch_model.bin"
    torch.save(checkpoint, path)
    return path


def build_tiny_pipeline(folder: Path, seed: int = 0) -> Path:
    import torch
    from pyannote.audio.core.task import Problem, Resolution, Specifications
    from pyannote.audio.models.segmentation.debug import SimpleSegmentationModel

    torch.manual_seed(seed)
    segmentation = SimpleSegmentationModel()
    segmentation.specifications = Specifications(
        problem=Problem.MONO_LABEL_CLASSIFICATION,
        resolution=Resolution.FRAME,
        duration=5.0,
        classes=["speaker#1", "speaker#2", "speaker#3"],
        powerset_max_classes=2,
        permutation_invariant=True,
    )
    segmentation.setup()
    _save_model(segmentation, folder / "segmentation")

    embedding = TinyEmbedding()
    embedding.specifications = Specifications(
        problem=Problem.REPRESENTATION, resolution=Resolution.CHUNK, duration=5.0
    )
    embedding.setup()
    _save_model(embedding, folder / "embedding")
    with torch.inference_mode():
        dim = int(embedding(torch.zeros(1, 1, 16000)).shape[-1])

    rng = np.random.default_rng(seed)
    (folder / "plda").mkdir(exist_ok=True)
    np.savez(
        folder / "plda" / "xvec_transform.npz",
        mean1=rng.normal(size=dim),
        mean2=rng.normal(size=LDA_DIM),
        lda=rng.normal(size=(dim, LDA_DIM)),
    )
    tr = rng.normal(size=(LDA_DIM, LDA_DIM)) + np.eye(LDA_DIM) * 3
    np.savez(
        folder / "plda" / "plda.npz",
        mu=rng.normal(size=LDA_DIM),
        tr=tr,
        psi=np.abs(rng.normal(size=LDA_DIM)) + 0.5,
    )

    config = {
        "pipeline": {
            "name": "pyannote.audio.pipelines.SpeakerDiarization",
            "params": {
                "segmentation": "$model/segmentation",
                "embedding": "$model/embedding",
                "plda": "$model/plda",
                "clustering": "AgglomerativeClustering",
                "embedding_batch_size": 4,
                "segmentation_batch_size": 4,
            },
        },
        "params": {
            "segmentation": {"min_duration_off": 0.0},
            "clustering": {"method": "centroid", "min_cluster_size": 1, "threshold": 0.7},
        },
    }
    (folder / "config.yaml").write_text(yaml.safe_dump(config))
    return folder
