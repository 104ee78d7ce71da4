"""The Content-Security-Policy of collabgraph's own HTML pages.

Our pages (the explorer, the query page, the review page) carry their
scripts and styles inline, so that the explorer works opened from disk. The
policy allows exactly those elements by their SHA-256 hashes, computed from
the page as it is sent or written, and nothing else: no script or style
that a label, quote or URL might smuggle in (an injected ``<script>`` or
``onerror=`` attribute) would run, even if some code path ever pasted data
into the page as HTML. Data blocks (``<script type="application/json">``)
never run and are not listed.

>>> page = '<style>b{}</style><script type="application/json">{}</script><script>go()</script>'
>>> print(policy(page, connect=True))  # doctest: +NORMALIZE_WHITESPACE
default-src 'none'; script-src 'sha256-...'; style-src 'sha256-...'; connect-src 'self';
base-uri 'none'; form-action 'self'
>>> inline_hashes(page)[0] == [digest("go()")]
True
"""

from __future__ import annotations

import base64
import hashlib
import re

__all__ = ["policy", "inline_hashes", "digest", "HEADERS", "NON_HTML", "SLOT"]

_INLINE = re.compile(r"<(script|style)(\s[^>]*)?>(.*?)</\1\s*>", re.S | re.I)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.I)
_JS_TYPES = {"", "text/javascript", "application/javascript", "module"}

#: What a page template writes as its <meta> policy, replaced by :func:`policy` once rendered.
SLOT = "CG-PAGE-POLICY"

#: Sent with every response of the server, whatever its type.
HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}

#: The policy of every response that is not one of our pages (results, JSON,
#: error text): should a browser ever render one as a document, nothing in it
#: loads or runs.
NON_HTML = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


def digest(text: str) -> str:
    """The CSP source expression for an inline element whose content is ``text``."""
    value = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{value}'"


def inline_hashes(html: str) -> tuple[list[str], list[str]]:
    """The hashes of the inline scripts and of the inline styles of ``html``
    (a page we made: its data blocks escape ``<``, so none holds ``</script``)."""
    scripts: list[str] = []
    styles: list[str] = []
    for match in _INLINE.finditer(html):
        tag, attrs, body = match.group(1).lower(), match.group(2) or "", match.group(3)
        if tag == "script":
            kind = _TYPE.search(attrs)
            if re.search(r"\bsrc\s*=", attrs, re.I) or (kind and kind.group(1).lower() not in _JS_TYPES):
                continue
            target = scripts
        else:
            target = styles
        if (h := digest(body)) not in target:
            target.append(h)
    return scripts, styles


def policy(html: str, *, connect: bool = False, images: bool = False, frames: bool = False) -> str:
    """The policy for the page ``html``: its own inline scripts and styles,
    requests to its own server only if ``connect``, ``data:`` images and
    fonts if ``images`` (vis-network's CSS has icons as data URLs), and
    ``frame-ancestors 'none'`` if ``frames`` (only a header may say that:
    a ``<meta>`` policy must leave it out)."""
    scripts, styles = inline_hashes(html)
    parts = ["default-src 'none'",
             "script-src " + (" ".join(scripts) or "'none'"),
             "style-src " + (" ".join(styles) or "'none'")]
    if images:
        parts += ["img-src data:", "font-src data:"]
    if connect:
        parts.append("connect-src 'self'")
    if frames:
        parts.append("frame-ancestors 'none'")
    parts += ["base-uri 'none'", "form-action 'self'"]
    return "; ".join(parts)
