"""The vocabulary every stage uses: problems and messages, dates, slugs, addresses, YAML, file rules."""
