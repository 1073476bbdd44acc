"""Rules `kimsite check` and the editor apply to parsed articles."""
