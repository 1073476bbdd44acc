"""Who belongs to the regency portal and what they published.

A *member* is a KIM built in this workspace (local), a KIM hosted elsewhere whose
feed `kimsite fetch` stored (remote), or the feed URL of another portal named in
`members` (feed). Each member carries its *entries* (articles) newest first; the
portal's pages, feeds and figures are all computed from these records, read once
per build (in the main process, before rendering workers fork).

One article can reach the portal twice: a KIM's Blogspot feed and a neighbouring
regency portal that aggregates it, or a KIM's own feed listed both as a site and
as a member URL. The portal's merged list (home, feeds, figures) keeps one copy,
found by remote.link_key of its link and by remote.global_id of its feed id; the
copy of the member closest to the source wins (a KIM built here, then a remote
KIM, then another portal's feed), so its link and GUID stay the same. Each
member's own list keeps all its entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from datetime import date, datetime, tzinfo
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Callable, NamedTuple
from urllib.parse import quote, urlsplit

from kimsite.workspace.config import SiteConfig
from kimsite.base.dates import zone
from kimsite.base.urls import is_feed_url
from kimsite.outputs.contract import BuildView
from kimsite.outputs.tokens import file_token, token
from kimsite.base.slugs import slugify

# Stored remote feeds and OPML member lists are read only for a portal that has such members
# (imported where used): a portal of local KIMs loads neither.
if TYPE_CHECKING:
    from kimsite.fetch import remote
    from kimsite.workspace.opml import OpmlFeed

LOCAL, REMOTE, FEED = "local", "remote", "feed"
MISSING = "missing"  # status of a remote member never fetched (or unreadable)


class Entry(NamedTuple):
    """One article of a member, as the portal lists it (a tuple: one per article of the regency,
    made by every build)."""

    member: str  # member key
    title: str
    date: datetime  # in the workspace timezone
    updated: datetime
    summary: str  # plain text
    token: str  # changes whenever anything the portal shows or syndicates of it changes
    source: str = ""  # local article: its source path (see view.documents)
    link: str = ""  # absolute URL: remote items, and local articles of KIMs on their own domain
    label: str = ""  # verdict of a klarifikasi article
    digest: str = ""  # local article: body digest (for the portal feeds)
    html: str = ""  # remote item: its sanitized HTML (for the portal feeds)
    author: str = ""  # remote item: its author
    same: tuple[str, ...] = ()  # remote item: link_key of its own link, global_id of its id ("" when none)
    kim: str = ""  # item of another portal's feed: the KIM it names first among its categories


@dataclass(frozen=True, slots=True)
class Member:
    key: str  # site slug, or the feed URL of a `feed` member
    kind: str  # LOCAL, REMOTE or FEED
    name: str
    kecamatan: str  # "" for feed members
    desa: str
    description: str
    site_href: str  # link to its site: root-relative (ours) or absolute (its own domain, elsewhere)
    profile_href: str  # "" when the portal knows no profile page for it
    rss_href: str
    atom_href: str  # "" when unknown
    site_url: str  # absolute home URL (OPML htmlUrl)
    feed_url: str  # absolute feed URL (OPML xmlUrl)
    status: str  # "ok" for local members; the stored fetch status, or MISSING
    entries: tuple[Entry, ...]  # newest first
    token: str  # covers every field except the entries
    region: str = ""  # the region (regency) of a member from an OPML list; a portal feed's own name

    @property
    def is_portal(self) -> bool:
        """A feed that aggregates KIMs of its own (another portal): a region of this portal."""
        return self.kind == FEED

    @property
    def is_kim(self) -> bool:
        return self.kind != FEED

    @property
    def fetched(self) -> bool:
        return self.status != MISSING

    @property
    def kecamatan_slug(self) -> str:
        return _kecamatan_slug(self.region, self.kecamatan)

    @property
    def kecamatan_label(self) -> str:
        return f"{self.kecamatan} ({self.region})" if self.region and self.kecamatan else self.kecamatan


@lru_cache(maxsize=4096)
def _kecamatan_slug(region: str, kecamatan: str) -> str:
    """Kecamatan names repeat across regencies: a member of a region has its region's kecamatan.
    Cached: every portal page groups the members by it (a province has thousands)."""
    if region and kecamatan:
        return slugify(f"{region} {kecamatan}")
    return slugify(kecamatan)


@dataclass(frozen=True, slots=True)
class PortalData:
    portal: SiteConfig
    members: tuple[Member, ...]  # by kecamatan, then name
    entries: tuple[Entry, ...]  # every member's entries merged, newest first
    today: date  # the build date in the workspace timezone (activity windows end here)
    token: str  # covers the portal settings and every member (not their entries)
    by_key: dict[str, Member]

    def member(self, key: str) -> Member:
        return self.by_key[key]


def portal_data(view: BuildView) -> PortalData | None:
    """The portal's members and entries, computed once per build; None without a portal."""
    if view.portal is None or view.single_site:
        return None
    if view.memo.portal_data is None:
        view.memo.portal_data = collect(view, view.portal)
    return view.memo.portal_data


def member_keys(portal: SiteConfig, site_configs: dict[str, SiteConfig], listed: list[OpmlFeed] = ()
                ) -> list[str]:
    """The members in the portal's own order: every KIM site for `all`, else those listed, then
    the feeds of its OPML member lists (but for those a site file already names)."""
    keys: list[str] = []
    for value in portal.members:
        if value == "all":
            keys.extend(slug for slug, site in sorted(site_configs.items()) if site.role == "kim")
        elif is_feed_url(value) or value in site_configs and site_configs[value].role == "kim":
            keys.append(value)
    own_feeds = {site.feed for site in site_configs.values() if site.feed}
    keys.extend(feed.url for feed in listed if feed.url not in own_feeds)
    return list(dict.fromkeys(keys))


def collect(view: BuildView, portal: SiteConfig) -> PortalData:
    tz = zone(view.config.timezone)
    root = Path(view.config.root)
    listed = _listed_feeds(root, portal)
    by_url = {feed.url: feed for feed in listed}
    members = []
    for key in member_keys(portal, view.site_configs, listed):
        if key in by_url and key not in portal.members:
            members.append(_feed_member(root, key, tz, by_url[key]))
            continue
        if is_feed_url(key):
            members.append(_feed_member(root, key, tz))
            continue
        site = view.site_configs[key]
        if site.is_remote:
            members.append(_remote_member(root, site, tz))
        elif key in view.sites:
            members.append(_kept_local_member(view, site, tz))
    members.sort(key=lambda m: (not m.is_kim, m.kecamatan_slug, m.name.casefold(), m.key))
    entries = sorted_entries(distinct_entries(members, lambda entry: entry_absolute(view, entry)))
    today = view.now.astimezone(tz).date()
    data_token = token(portal.fingerprint, tuple(m.token for m in members))
    return PortalData(portal, tuple(members), tuple(entries), today, data_token, {m.key: m for m in members})


def _listed_feeds(root: Path, portal: SiteConfig) -> list[OpmlFeed]:
    # The OPML reader is loaded only for a portal that names member lists.
    if not portal.members_opml:
        return []
    from kimsite.workspace.opml import listed_feeds

    return listed_feeds(root, portal)


def merged_entries(members: list[Member]) -> list[Entry]:
    """Every member's entries in _merged_order, sorted in two stable passes of C-level keys (a
    member's entries are all local, each with its own source, or all remote, without one: so
    "source, link" orders them as "source or link" does)."""
    return sorted_entries([e for m in members for e in m.entries])


def sorted_entries(entries: list[Entry]) -> list[Entry]:
    entries.sort(key=attrgetter("member", "source", "link"))
    entries.sort(key=attrgetter("date"), reverse=True)
    return entries


_CLOSEST_FIRST = {REMOTE: 1, FEED: 2}


def _host(key: str) -> str:
    """The host part of a remote.link_key ("//host/path?query")."""
    return key[2:].split("/", 1)[0].split("?", 1)[0]


def distinct_entries(members: list[Member], absolute: Callable[[Entry], str]) -> list[Entry]:
    """Every member's entries, each article once (see the module doc). Local articles never repeat
    among themselves and are always kept; `absolute` (a local entry's absolute URL) is only asked
    for the articles of a local KIM whose host some remote entry links to."""
    local = [member for member in members if member.kind == LOCAL]
    kept = [entry for member in local for entry in member.entries]
    others = sorted((m for m in members if m.kind != LOCAL), key=lambda m: (_CLOSEST_FIRST[m.kind], m.key))
    if not others:
        return kept
    hosts = {_host(key) for member in others for entry in member.entries for key in entry.same if key[:2] == "//"}
    from kimsite.fetch import remote

    taken: set[str] = set()
    for member in local:
        if _host(remote.link_key(member.site_url)) in hosts:
            taken.update(remote.link_key(absolute(entry)) for entry in member.entries)
    taken.discard("")
    for member in others:
        for entry in member.entries:  # newest first: a member's newest copy wins
            keys = set(entry.same) - {""}
            if keys & taken:
                continue
            taken |= keys
            kept.append(entry)
    return kept


def _merged_order(entry: Entry) -> tuple:
    """Newest first; member and link or source break ties, so the order is deterministic."""
    return (-entry.date.timestamp(), entry.member, entry.source or entry.link)


# --- local KIMs --------------------------------------------------------------------------

def on_domain(domain: str, view: BuildView, site: str, location: str) -> str:
    """A location of a KIM published on its own domain, as an absolute URL there."""
    prefix = view.urls.prefix(site)
    inside = location[len(prefix):] if location.startswith(prefix) else location
    return f"https://{domain}/{quote(inside)}"


def _kept_local_member(view: BuildView, site: SiteConfig, tz: tzinfo) -> Member:
    """The member made of a local KIM, kept (view.memo.local_members, a session's between builds)
    with the plan key it was made under: that key (kimsite.outputs.tokens.site_plan_key) covers
    everything _local_member reads, so a process that builds again and again (`kimsite serve`)
    remakes only the members of changed KIMs."""
    key = view.memo.site_plan_keys.get(site.slug)
    kept_members = view.memo.local_members
    kept = kept_members.get(site.slug)
    if key is not None and kept is not None and kept[0] == key:
        return kept[1]
    member = _local_member(view, site, tz)
    if key is not None:
        kept_members[site.slug] = (key, member)
    return member


def _local_member(view: BuildView, site: SiteConfig, tz: tzinfo) -> Member:
    urls = view.urls
    model = view.sites[site.slug]
    slug = site.slug

    def href(location: str) -> str:
        return on_domain(site.domain, view, slug, location) if site.domain else urls.url(location)

    def absolute(location: str) -> str:
        return on_domain(site.domain, view, slug, location) if site.domain else urls.absolute(location)

    entries = []
    for doc in model.articles:
        location = view.locations[doc.source]
        moment = doc.date.astimezone(tz)
        label = str(doc.field("label") or "") if doc.type == "klarifikasi" else ""
        # What the entry shows: its source (the digest covers its bytes), where it is, and the
        # files it shows; most articles show none, and two strings joined need no hashing.
        files = file_token(view, doc)
        entry_token = token(doc.digest, location, files) if files else f"{doc.digest}\0{location}"
        entries.append(Entry(
            member=slug, title=doc.title, date=moment, updated=(doc.updated or doc.date).astimezone(tz),
            summary=doc.summary, token=entry_token, source=doc.source,
            link=on_domain(site.domain, view, slug, location) if site.domain else "", label=label,
            digest=doc.digest,
        ))
    home, rss, atom = urls.home(slug), urls.feed(slug, "rss"), urls.feed(slug, "atom")
    fields = dict(
        key=slug, kind=LOCAL, name=site.name, kecamatan=site.kecamatan, desa=site.desa,
        description=site.description, site_href=href(home), profile_href=href(urls.profile(slug)),
        rss_href=href(rss), atom_href=href(atom), site_url=absolute(home), feed_url=absolute(rss), status="ok",
    )
    return Member(**fields, entries=tuple(entries), token=token(sorted(fields.items())))


# --- remote KIMs and other portals -------------------------------------------------------

def _safe_link(link: str, fallback: str) -> str:
    return link if urlsplit(link).scheme in ("http", "https") else fallback


def _remote_entries(key: str, feed: remote.RemoteFeed | None, fallback: str, tz: tzinfo,
                    portal_feed: bool = False) -> tuple[Entry, ...]:
    if feed is None:
        return ()
    from kimsite.fetch import remote

    entries = []
    for item in feed.items:
        entries.append(Entry(
            member=key, title=item.title, date=item.published.astimezone(tz),
            updated=max(item.updated, item.published).astimezone(tz), summary=item.summary,
            token=token(key, repr(item)), link=_safe_link(item.link, fallback), html=item.html,
            author=item.author, same=(remote.link_key(item.link), remote.global_id(item.id)),
            kim=item.categories[0] if portal_feed and item.categories else "",
        ))
    entries.sort(key=_merged_order)
    return tuple(entries)


def _remote_member(root: Path, site: SiteConfig, tz: tzinfo) -> Member:
    from kimsite.fetch import remote

    stored = remote.load(root, site.slug)
    fields = dict(
        key=site.slug, kind=REMOTE, name=site.name, kecamatan=site.kecamatan, desa=site.desa,
        description=site.description, site_href=site.url, profile_href="", rss_href=site.feed, atom_href="",
        site_url=site.url, feed_url=site.feed, status=stored.status if stored else MISSING,
    )
    entries = _remote_entries(site.slug, stored, site.url, tz)
    return Member(**fields, entries=entries, token=token(sorted(fields.items())))


def _feed_member(root: Path, url: str, tz: tzinfo, listed: OpmlFeed | None = None) -> Member:
    """A member known by its feed URL: another portal (named in `members`, or an OPML outline
    with category "portal": a region), or one KIM of an OPML list. Its name and site come from
    the list, else from the stored feed, else from the URL's host."""
    from kimsite.fetch import remote

    portal = listed is None or listed.portal
    stored = remote.load(root, url)
    parts = urlsplit(url)
    home = (listed.site_url if listed else "") or f"{parts.scheme}://{parts.netloc}/"
    if stored is not None and urlsplit(stored.link).scheme in ("http", "https") and not (listed and listed.site_url):
        home = stored.link
    name = (listed.name if listed else "") or (stored.title if stored is not None and stored.title else "") \
        or parts.netloc
    fields = dict(
        key=url, kind=FEED if portal else REMOTE, name=name, kecamatan="" if portal else listed.kecamatan, desa="",
        description="", site_href=home, profile_href="", rss_href=url, atom_href="", site_url=home, feed_url=url,
        status=stored.status if stored else MISSING, region=name if portal else listed.region,
    )
    entries = _remote_entries(url, stored, home, tz, portal_feed=portal)
    return Member(**fields, entries=entries, token=token(sorted(fields.items())))


def entry_href(view: BuildView, entry: Entry) -> str:
    """Where a reader of the portal goes for an entry (root-relative or absolute)."""
    return entry.link or view.urls.url(view.locations[entry.source])


def entry_absolute(view: BuildView, entry: Entry) -> str:
    return entry.link or view.urls.absolute(view.locations[entry.source])
