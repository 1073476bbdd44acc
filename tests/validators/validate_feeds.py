#!/usr/bin/env python3
"""Validate RSS, Atom and OPML files with the W3C Feed Validation Service's own code.

Usage: validate-feeds SITE_DIR BASE_URL [FILE ...]
  SITE_DIR  a built output folder (e.g. _site)
  BASE_URL  the URL SITE_DIR is published at (self links are checked against it)
  FILE      paths relative to SITE_DIR; default: every *.xml (but sitemap.xml) and *.opml

Prints each problem as 'file: level: message' and a last line 'N files, E errors, W warnings'.
Exit status: 0 when no file has an error, 1 otherwise, 2 for a wrong command line.
Needs lxml, html5lib and rdflib (pip install lxml html5lib rdflib).

The validator in feedvalidator/ is an unmodified copy of src/feedvalidator from
github.com/w3c/feedvalidator (its licence: feedvalidator/LICENSE). Copied from the validate-feeds
script the project used outside the repository; see README.md beside this file.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import feedvalidator  # noqa: E402
from feedvalidator import compatibility  # noqa: E402
from feedvalidator.formatter.text_plain import Formatter  # noqa: E402
from feedvalidator.logging import Error, Warning as FeedWarning  # noqa: E402

# The validator knows OPML 1.0 only; OPML 2.0 defines <docs> in <head>.
KNOWN_FALSE = ("Undefined head element: docs",)


def content_type(name: str) -> str:
    if name.endswith(".opml"):
        return "text/x-opml"
    return "application/atom+xml" if "atom" in os.path.basename(name) else "application/rss+xml"


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    site, base = argv[0], argv[1].rstrip("/") + "/"
    files = argv[2:]
    if not files:
        for folder, _, names in os.walk(site):
            for name in names:
                if (name.endswith(".xml") and name != "sitemap.xml") or name.endswith(".opml"):
                    files.append(os.path.relpath(os.path.join(folder, name), site))
    files.sort()
    errors = warnings = 0
    for rel in files:
        with open(os.path.join(site, rel), "rb") as stream:
            try:
                events = feedvalidator.validateStream(stream, firstOccurrenceOnly=0,
                                                      contentType=content_type(rel),
                                                      base=base + rel)["loggedEvents"]
            except feedvalidator.logging.ValidationFailure as failure:
                events = [failure.event]
        events = compatibility.AAA(events)
        for event, line in zip(events, Formatter(events)):
            if rel.endswith(".opml") and any(text in line for text in KNOWN_FALSE):
                continue
            level = "error" if isinstance(event, Error) else "warning" if isinstance(event, FeedWarning) else "info"
            errors += level == "error"
            warnings += level == "warning"
            print(f"{rel}: {level}: {' '.join(line.split())[:300]}")
    print(f"{len(files)} files, {errors} errors, {warnings} warnings")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
