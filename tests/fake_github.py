"""Just enough of GitHub's REST and GraphQL API for the editor to sign in, read a workspace and
save entries, answered inside the browser test (page.route): what the editor commits is what
it would have sent to GitHub."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

CORS = {"access-control-allow-origin": "*", "access-control-expose-headers": "*"}
HEAD = "1" * 40
_COMMIT_ALIAS = re.compile(r"(commit_\d+):")
_BLOB = re.compile(r'(\w+): object\(oid: "([0-9a-f]{40})"\)')


def blob_sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class FakeGitHub:
    def __init__(self, owner: str, repo: str, branch: str, root: Path):
        self.owner, self.repo, self.branch = owner, repo, branch
        self.files: dict[str, bytes] = {}
        for path in sorted(root.rglob("*")):
            rel = path.relative_to(root).as_posix()
            if path.is_file() and not rel.startswith(("_site", ".kimsite", "www")):
                self.files[rel] = path.read_bytes()
        self.commits: list[dict] = []  # the additions/deletions of each createCommitOnBranch
        self.unknown: list[str] = []  # requests this fake cannot answer
        self.head = HEAD

    def by_sha(self) -> dict[str, bytes]:
        return {blob_sha(data): data for data in self.files.values()}

    def handle(self, route) -> None:
        request = route.request
        url, method = request.url, request.method
        if method == "OPTIONS":
            return route.fulfill(status=204, headers={**CORS, "access-control-allow-headers": "*",
                                                      "access-control-allow-methods": "*"})
        path = url.split("api.github.com", 1)[1].split("?", 1)[0]
        if path == "/user":
            return self._json(route, {"login": "relawan", "id": 1, "name": "Relawan KIM", "email": None,
                                      "avatar_url": "", "html_url": "https://github.com/relawan"})
        if path.endswith("/collaborators/relawan"):
            return route.fulfill(status=204, body="", headers=CORS)
        if "/git/trees/" in path:
            tree = [{"path": name, "mode": "100644", "type": "blob", "sha": blob_sha(data), "size": len(data)}
                    for name, data in sorted(self.files.items())]
            return self._json(route, {"sha": HEAD, "tree": tree, "truncated": False})
        if "/git/blobs/" in path:
            data = self.by_sha().get(path.rsplit("/", 1)[1])
            if data is not None:
                return self._json(route, {"content": base64.b64encode(data).decode(), "encoding": "base64",
                                          "size": len(data)})
        if path == "/graphql":
            answer = self._graphql(json.loads(request.post_data or "{}"))
            if answer is not None:
                return self._json(route, answer)
        self.unknown.append(f"{method} {url} {(request.post_data or '')[:300]}")
        return route.fulfill(status=404, json={"message": "Not Found"}, headers=CORS)

    def _graphql(self, body: dict) -> dict | None:
        query, variables = body.get("query", ""), body.get("variables") or {}
        if "createCommitOnBranch" in query:
            changes = variables["input"]["fileChanges"]
            self.commits.append(changes)
            for item in changes.get("additions", []):
                self.files[item["path"]] = base64.b64decode(item["contents"])
            for item in changes.get("deletions", []):
                self.files.pop(item["path"], None)
            self.head = f"{len(self.commits):040d}"
            return {"data": {"createCommitOnBranch": {"commit": {"oid": self.head, "committedDate":
                                                                  "2025-07-01T02:30:00Z", "url": ""}}}}
        if "deployments(" in query or "checkSuites(" in query:  # no deployments or checks to show
            key = "deployments" if "deployments(" in query else "checkSuites"
            return {"data": {"repository": {alias: {key: {"nodes": []}} for alias in _COMMIT_ALIAS.findall(query)}}}
        if "history(first: 1, path:" in query:  # who changed each file last
            node = {"author": {"name": "Relawan KIM", "email": "", "user": {"login": "relawan"}},
                    "committedDate": "2025-07-01T00:00:00Z"}
            return {"data": {"repository": {alias: {"target": {"history": {"nodes": [node]}}}
                                            for alias in _COMMIT_ALIAS.findall(query)}}}
        if "history(first: 1)" not in query and "... on Commit { oid }" in query:
            return {"data": {"repository": {"ref": {"target": {"oid": self.head}}}}}
        if "history(first: 1)" in query:
            return {"data": {"repository": {"ref": {"target": {"history": {"nodes": [
                {"oid": self.head, "message": "awal"}]}}}}}}
        if "... on Blob" in query:
            blobs = self.by_sha()
            data = {alias: {"text": _text(blobs[oid]), "isTruncated": False}
                    for alias, oid in _BLOB.findall(query) if oid in blobs}
            return {"data": {"repository": data}} if data else None
        return None

    @staticmethod
    def _json(route, value) -> None:
        route.fulfill(status=200, body=json.dumps(value), content_type="application/json", headers=CORS)


def _text(data: bytes) -> str | None:
    """A blob's text as GitHub's GraphQL API gives it: None for binary files."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None
