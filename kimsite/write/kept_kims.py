"""What a build keeps of each KIM for the next one: its parse results, its assembled model and
the portal's member made of it, each with what it was made from.

`kimsite serve` keeps them in memory (kimsite.build.BuildSession). A one-shot `kimsite build`
keeps them in the cache, one record per KIM, so that an edit build takes the KIMs it did not
touch as they are: it neither loads their documents' parse results one source at a time nor
assembles their models again. Each part is used only while its key still holds (see
kimsite.parse.parsing._reusable, kimsite.model.assemble.assemble_kim and
kimsite.portal.model._kept_local_member); a record whose shape is not the expected one, made for
a workspace in another folder, or naming other files of the KIM than the scan found, is not used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kimsite.base.problems import Problem
from kimsite.model.assemble import AssembledKim, PublicationCounts
from kimsite.model.model import Document, SiteModel
from kimsite.workspace.cache import BuildCache

if TYPE_CHECKING:
    from kimsite.parse.article import ParseSettings
    from kimsite.workspace.sources import WorkspaceScan

RECORD_PREFIX = "kept-kim:"


@dataclass
class KeptKims:
    """The records of the cache for the KIMs a build builds, as the dicts a session keeps (see
    kimsite.build.BuildSession): `parsed`, `assembled` and `portal_members` are handed to the
    steps that use them, which replace what no longer holds; `save` stores the records that
    changed."""

    parsed: dict = field(default_factory=dict)  # slug -> kimsite.parse.parsing.KeptParse
    assembled: dict[str, tuple] = field(default_factory=dict)  # slug -> (key, moment, AssembledKim)
    portal_members: dict[str, tuple] = field(default_factory=dict)  # slug -> (plan key, portal Member)
    loaded: dict[str, tuple] = field(default_factory=dict)  # slug -> the record as it was read
    root: str = ""  # the workspace's folder: parse results name its files by their full path

    @classmethod
    def load(cls, cache: BuildCache, root: Path, slugs: list[str], scan: WorkspaceScan,
             settings: ParseSettings) -> KeptKims:
        """The records of `slugs` whose parse results still hold. Of any other record nothing is
        kept, not even its model: that would keep a second copy of documents parsed again (a
        CI build: a fresh checkout gives every file a new time)."""
        from kimsite.parse.parsing import still_holds

        kept = cls(root=str(root))
        for slug in slugs:
            record = _valid_record(cache.get_state(RECORD_PREFIX + slug))
            if record is None or record[0] != kept.root:  # (a workspace moved elsewhere)
                continue
            _root, parsed, assembled, member = record
            entries = scan.content.get(slug)
            if not still_holds(parsed, entries, settings) or \
                    not _files_as_scanned(parsed.file_hashes, entries or [], kept.root):
                continue
            parsed.entries = entries  # (the scan's own list: the parse step finds it by identity)
            kept.loaded[slug] = record
            kept.parsed[slug] = parsed
            if assembled is not None:
                kept.assembled[slug] = assembled
            if member is not None:
                kept.portal_members[slug] = member
        return kept

    def forget_unused(self, cache: BuildCache, slugs: list[str]) -> None:
        """Delete the record of each of `slugs` whose parse results were not taken (none, no
        longer holding, or its KIM read again), in the cache's transaction that stores the new
        parse results: they drop the bodies of the sources' old versions, and a build that fails
        after them must not leave a record that would show those versions again (their files
        brought back with their old size and time)."""
        for slug in slugs:
            before = self.loaded.get(slug)
            if before is None or self.parsed.get(slug) is not before[1]:
                cache.delete_state(RECORD_PREFIX + slug)
                self.loaded.pop(slug, None)

    def save(self, cache: BuildCache, slugs: list[str], whole_workspace: bool) -> None:
        """Store the record of each of `slugs` whose parts are not those read. A KIM without
        parse results kept (a file of it could not be read) has none: `forget_unused` deleted
        it. When the whole workspace was built, the record of a KIM no longer in it goes too."""
        for slug in slugs:
            record = (self.root, self.parsed.get(slug), self.assembled.get(slug), self.portal_members.get(slug))
            before = self.loaded.get(slug)
            if record[1] is None or (before is not None and all(
                    now is then for now, then in zip(record[1:], before[1:]))):
                continue
            cache.set_state(RECORD_PREFIX + slug, record)
        if whole_workspace:
            present = set(slugs)
            for key in cache.state_keys(RECORD_PREFIX):
                if key[len(RECORD_PREFIX):] not in present:
                    cache.delete_state(key)


def _valid_record(record: object) -> tuple | None:
    """The record when each of its parts has the shape the build stores, else None."""
    from kimsite.parse.parsing import KeptParse
    from kimsite.portal.model import Member

    if not (isinstance(record, tuple) and len(record) == 4 and isinstance(record[0], str)):
        return None
    _root, parsed, assembled, member = record
    if not (isinstance(parsed, KeptParse) and isinstance(parsed.entries, list) and isinstance(parsed.documents, list)
            and all(isinstance(doc, Document) for doc in parsed.documents)
            and isinstance(parsed.file_hashes, list) and isinstance(parsed.problems, list)
            and all(isinstance(problem, Problem) for problem in parsed.problems)):
        return None
    if assembled is not None and not (
            isinstance(assembled, tuple) and len(assembled) == 3 and isinstance(assembled[1], float)
            and isinstance(assembled[2], AssembledKim) and isinstance(assembled[2].model, SiteModel)
            and isinstance(assembled[2].located, dict) and isinstance(assembled[2].counts, PublicationCounts)
            and isinstance(assembled[2].problems, list)
            and all(isinstance(problem, Problem) for problem in assembled[2].problems)):
        return None
    if member is not None and not (isinstance(member, tuple) and len(member) == 2 and isinstance(member[1], Member)):
        return None
    return record


def _files_as_scanned(file_hashes: list, entries: list, root: str) -> bool:
    """Whether the KIM's files named in its kept parse results (a list: see _valid_record; the
    files the build copies and reads pictures from) are the scan's, at their place in this
    workspace: a forged record must not make the build read a file from anywhere else."""
    expected = [(entry.rel, str(Path(root, entry.path))) for entry in entries if entry.file_role == "file"]
    return len(file_hashes) == len(expected) and all(
        isinstance(found, tuple) and len(found) == 3 and isinstance(found[2], str) and (found[0], found[1]) == wanted
        for found, wanted in zip(file_hashes, expected))
