"""Rendering in worker processes and committing the result: writer, freshness, pruning."""
