"""`kimsite import`: Blogger and WordPress exports and full-content feeds become a KIM's content.

Modules, in the order an import runs: xmlread (safe parsing), blogger / wordpress / feed (one
reader per source, each giving `entries.Export`), existing (what the KIM folder holds already),
shortcodes and html_to_md (clean Markdown), pictures (the old blog's pictures come home),
writer (front matter and files), sitefile (sites/<kim>.yaml), run (the steps), report (the summary).
"""

from kimsite.importer.report import report_lines
from kimsite.importer.run import USAGE_PROBLEMS, ImportOptions, ImportResult, run_import

__all__ = ["USAGE_PROBLEMS", "ImportOptions", "ImportResult", "report_lines", "run_import"]
