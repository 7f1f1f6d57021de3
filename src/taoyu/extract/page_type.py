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

from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from taoyu.extract.labels import LabelPattern

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
_SIGNS = (
    "meta[name=generator], script[type='application/ld+json'], [itemtype], "
    "[id^=post i], [id^=reply i], [id^=pid i], [id^=answer i], [id^=floor i]"
)
_FORUM_SOFTWARE = LabelPattern(
    r"discuz|phpwind|phpbb|vbulletin|discourse|flarum|nodebb|xenforo|mybb|simple machines|invision"
)


def is_thread_page(tree: LexborHTMLParser, url: str | None = None) -> bool:
    """Whether the page is a discussion thread whose replies are content (see the module doc)."""
    if url and _thread_url(url):
        return True
    # One walk of the tree for every sign (each query is a walk): the forum software, schema.org
    # types in microdata or JSON-LD, and ids that lexbor screens and the pattern decides.
    numbered = 0
    for node in tree.css(_SIGNS):
        tag = node.tag
        if tag == "meta":
            if _FORUM_SOFTWARE.search(node.attributes.get("content") or ""):
                return True
        elif tag == "script":
            if _THREAD_SCHEMA.search(node.text() or ""):
                return True
        else:
            attributes = node.attributes
            if _THREAD_SCHEMA.search(attributes.get("itemtype") or ""):
                return True
            numbered += bool(_NUMBERED_POST.match(attributes.get("id") or ""))
            if numbered >= 2:
                return True
    return False


def _thread_url(url: str) -> bool:
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    # Single-page apps route in the fragment (example.com/#/topic/123), so the fragment counts too.
    route = f"{parts.path}?{parts.query}#{parts.fragment}"
    return bool(_THREAD_HOST.match(host) or _THREAD_PATH.search(route))
