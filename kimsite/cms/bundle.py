"""The one editor bundle /admin/ may load: Sveltia CMS, pinned by version and integrity hash.

The hash is the Subresource Integrity value (sha384) of `dist/sveltia-cms.js` in the npm
package of this version (`npm pack @sveltia/cms@VERSION`); a browser refuses the file when
the CDN serves anything else. Upgrading means changing both lines together and running the
browser test, which checks the hash against the package.
"""

from __future__ import annotations

PACKAGE = "@sveltia/cms"
VERSION = "0.221.1"
FILE = "dist/sveltia-cms.js"
INTEGRITY = "sha384-JQ+XsKx/UzwdTiNnFStza3XtqqQoVtyNPApkfvwlzZDfhe7giE9CnfQrpHqgv3k6"
URL = f"https://unpkg.com/{PACKAGE}@{VERSION}/{FILE}"
