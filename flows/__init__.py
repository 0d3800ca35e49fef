"""Prefect flows: thin wrappers over ``pipeline`` (each task one coarse pipeline call)."""
