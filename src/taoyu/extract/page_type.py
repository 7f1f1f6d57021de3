"""Whether a page is a discussion thread (forum topic, Q&A question, comment page) or an article.

The two want opposite things from the replies under the main text. On a news article or a blog
post, the comments are chrome: the reader came for the article, and corpora leave them out. On a
forum topic or a Q&A page, the replies are the content: a thread is its posts, and an answer page
is its answers. No scoring of blocks can tell the two apart, because the same markup (a series of
"comment" blocks under a body of text) means both. The page says what it is elsewhere: in its URL
(``/thread``, ``viewthread``, ``/topic/``, ``/question/``, a ``bbs.`` host), in schema.org types
(``DiscussionForumPosting``, ``QAPage``), or in the forum software that generated it (Discuz!,
phpBB, Discourse…). Those are what magic-html's page-type argument asks its caller for; here
the page answers it itself.
"""

from __future__ import annotations

from functools import cache
from urllib.parse import urlsplit

import numpy as np
from selectolax.lexbor import LexborHTMLParser

from taoyu.extract.labels import LabelPattern
from taoyu.extract.lexbor import GENERATOR, PageArrays, read_page, tag_id
from taoyu.extract.prune import never_content

# A path segment (or query value) that names a thread, a topic, a question or a comment page.
# "post" is not one: blogs use /post/<slug> for articles.
_THREAD_PATH = LabelPattern(
    r"(?:^|[/=&?.])(?:bbs|forums?|threads?|viewthread|showthread|showtopic|topic|questions?|answers?|"
    r"discuss(?:ions?)?|comments?|replies|wenda|faq|tieba|zhidao)(?=$|[/=&?._-]|\d)|/[td]/"
)
# A host whose first or second label says forum or Q&A: bbs.example.com, patent.bbscloud.com.
_THREAD_HOST = LabelPattern(r"^(?:[^.]+\.)?(?:bbs|forums?|tieba|zhidao|wenda|discuss)[^.]*\.")
# Not "Question" alone: FAQPage markup on articles lists questions too.
_THREAD_SCHEMA = LabelPattern(r"discussionforumposting|qapage")
# Posts and replies numbered by the forum's database: id="post_53963", id="reply-78".
_NUMBERED_POST = LabelPattern(r"(?:post|reply|pid|answer|floor)[-_]?\d+$")
_FORUM_SOFTWARE = LabelPattern(
    r"discuz|phpwind|phpbb|vbulletin|discourse|flarum|nodebb|xenforo|mybb|simple machines|invision"
)


def is_thread_page(tree: LexborHTMLParser, url: str | None = None, body: PageArrays | None = None) -> bool:
    """Whether the page is a discussion thread whose replies are content (see the module doc).
    ``body`` is the page under ``tree.body`` (or ``tree.root``) as read for extraction, with
    :func:`taoyu.extract.prune.never_content` as leaves; the signs come from its read."""
    if url and _thread_url(url):
        return True
    root = tree.body or tree.root
    numbered = 0
    if root is not None:
        page = body if body is not None else read_page(root, never_content())
        thread, numbered = _signs(page)
        if thread:
            return True
    # <html> itself (<html itemscope itemtype=…>) and the head, read as the body is, the body a
    # leaf: a CSS query and a dict of <html>'s attributes would cost more than the rest of this
    # check (each is set up for its first use on a page).
    document = tree.root
    if document is not None and root is not None and document.mem_id != root.mem_id:
        thread, outside = _signs(read_page(document, _outside_body()), root.mem_id)
        if thread:
            return True
        numbered += outside
    return numbered >= 2


@cache
def _outside_body() -> np.ndarray:
    """The leaves of a reading of the page outside its body: what is never content but the head
    (a leaf when the body is read), and <body>."""
    leaves = never_content().copy()
    leaves[tag_id("head")] = False
    leaves[tag_id("body")] = True
    return leaves


def _signs(page: PageArrays, body: int | None = None) -> tuple[bool, int]:
    """Whether the page as read names a forum's software or a thread's schema, and how many of
    its elements are numbered posts (not counting ``body``'s, by key: read apart already)."""
    for kind, sign in zip(page.sign_kinds.tolist(), page.signs, strict=True):
        pattern = _FORUM_SOFTWARE if kind == GENERATOR else _THREAD_SCHEMA
        if pattern.search(sign):
            return True, 0
    keys = page.keys
    return False, sum(bool(_NUMBERED_POST.match(id_)) for at, id_ in page.ids() if keys[at] != body)


def _thread_url(url: str) -> bool:
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    # Single-page apps route in the fragment (example.com/#/topic/123), so the fragment counts too.
    route = f"{parts.path}?{parts.query}#{parts.fragment}"
    return bool(_THREAD_HOST.match(host) or _THREAD_PATH.search(route))
