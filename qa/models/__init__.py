"""Model registry and loaders. Every loader imports its heavy library lazily."""
