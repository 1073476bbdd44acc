"""Markdown sources to Documents: the Markdown engines, sanitizing, the cached and parallel parse step."""
