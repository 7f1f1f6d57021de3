"""The ``extract_html`` step: decode page bytes and keep the main content (taoyu.extract)."""

from __future__ import annotations

import re
from typing import ClassVar, Literal
from urllib.parse import urljoin

import pyarrow as pa
from selectolax.lexbor import LexborHTMLParser

from taoyu.document import Document, Event, meta_count
from taoyu.extract.boilerplate import page_title
from taoyu.extract.main_text import extract_tree
from taoyu.registry import register
from taoyu.steps.base import Step
from taoyu.steps.html_to_text import HtmlToTextParams, decode_page
from taoyu.steps.normalize import count_random_tags

_DATE_META = (
    'meta[property="article:published_time"]',
    'meta[name="publishdate"]',
    'meta[name="PubDate"]',
    'meta[name="pubdate"]',
    'meta[itemprop="datePublished"]',
)
_CANONICAL = ('link[rel="canonical"]', 'meta[property="og:url"]')
_AUTHOR_META = ('meta[name="author"]', 'meta[property="article:author"]', 'meta[name="byline"]')
_SOURCE_META = ('meta[name="source"]', 'meta[property="og:site_name"]', 'meta[name="site"]')
# "作者：张三", "来源：新华网", "记者 王逸飞": in the article's info line, which extraction drops, so
# it is read from the HTML. A label needs its separator ("文明城市" is not a byline); tags may sit
# between label and name ("来源：<a>中新网</a>"); a name is 2-20 characters without punctuation.
_BYLINE_FIELD = re.compile(
    r"(作者|来源|稿源|出处|文)\s*[:：丨|/]\s*(?:<[^>]{0,200}>\s*)*(?!本报|本台|本刊|本网|记者|通讯员)"
    r"([^<>\s:：,，。|丨()（）]{2,20})"
    r"|(记者)\s+(?:<[^>]{0,200}>\s*)*([^<>\s:：,，。|丨()（）]{2,4})"
)
_DATE_IN_TEXT = re.compile(r"(20\d\d|19\d\d)[-年/.](\d{1,2})[-月/.](\d{1,2})")
# A dateline ("发布时间：2025年3月7日"), and a date alone in its element, are chrome to the
# extractor, which drops their lines, so they are read from the HTML; tags may sit between the
# label and the date.
_LABELLED_DATE = re.compile(  # 时间 or 日期 first, so re skips to them (发布时间 holds 时间 too)
    r"(?:时间|日期)\s*[:：]\s*(?:<[^>]{0,200}>\s*|&nbsp;)*"
    r"(20\d\d|19\d\d)[-年/.](\d{1,2})[-月/.](\d{1,2})"
)
_LONE_DATE = re.compile(
    r">\s*(20\d\d|19\d\d)[-年/.](\d{1,2})[-月/.](\d{1,2})日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?\s*<"
)


class ExtractHtmlParams(HtmlToTextParams):
    """The decoding limit of ``html_to_text``, plus the output form: Markdown keeps the headings, lists,
    tables and code that plain lines would flatten."""

    format: Literal["text", "markdown"] = "text"
    """text: one paragraph per line. markdown: headings, lists, tables and code blocks kept as Markdown."""


@register("extract_html")
class ExtractHtml(Step):
    """Decode page bytes (no mojibake), keep the main content a paragraph per line, plus title and date."""

    Params = ExtractHtmlParams
    params: ExtractHtmlParams
    output_fields: ClassVar[dict[str, pa.DataType]] = {
        "title": pa.string(),
        "publish_date": pa.string(),
        "charset": pa.string(),
        "author": pa.string(),
        "source": pa.string(),
        "canonical_url": pa.string(),
    }

    def process(self, doc: Document) -> Document:
        """Decode the page and keep its main content, with title, date, author, source and canonical URL
        in ``meta``. Hidden tags are counted in the raw page first, as extraction drops them."""
        html = decode_page(doc, self.name, self.params.max_replacement_ratio)
        if html is None:
            return doc
        hidden = count_random_tags(html)  # counted in the page: extraction drops these elements
        if hidden:
            doc.meta["hidden_tags"] = meta_count(doc.meta, "hidden_tags") + hidden
        tree = LexborHTMLParser(html)
        title = tree.css_first("title") or tree.css_first("h1")
        if title is not None and title.text(strip=True):
            doc.meta["title"] = page_title(title.text(strip=True))
        date = _publish_date(tree)  # read before extraction prunes the tree
        for key, value in _page_metadata(tree, html, doc.url).items():
            doc.meta[key] = value
        text = ""
        if html.strip():
            extraction = extract_tree(tree, self.params.format, doc.url, html)
            text = extraction.text
            doc.meta["page_shape"] = extraction.shape.as_meta()  # for page_body: list or article
            if extraction.credits:  # a report's credits, chrome to the text: for its content type
                doc.meta["credits"] = list(extraction.credits)
        if date is None:
            match = _LABELLED_DATE.search(html) or _DATE_IN_TEXT.search(text[:500]) or _LONE_DATE.search(html)
            date = f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}" if match else None
        if date:
            doc.meta["publish_date"] = date
        doc.text = text
        doc.trace.append(Event(self.name, "edit", details={"html_chars": len(html), "chars": len(text)}))
        return doc


def _publish_date(tree: LexborHTMLParser) -> str | None:
    for selector in _DATE_META:
        node = tree.css_first(selector)
        if node is not None:
            content = (node.attributes.get("content") or "").strip()
            match = _DATE_IN_TEXT.search(content)
            if match:
                return f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}"
    return None


def _page_metadata(tree: LexborHTMLParser, html: str, url: str | None) -> dict[str, str]:
    """Author, source (publisher) and canonical URL, from meta tags first, then the byline."""
    out: dict[str, str] = {}
    for selector in _CANONICAL:
        node = tree.css_first(selector)
        value = (node.attributes.get("href") or node.attributes.get("content") or "").strip() if node else ""
        if value:
            out["canonical_url"] = urljoin(url, value) if url else value
            break
    for key, selectors in (("author", _AUTHOR_META), ("source", _SOURCE_META)):
        for selector in selectors:
            node = tree.css_first(selector)
            value = (node.attributes.get("content") or "").strip() if node else ""
            if value:
                out[key] = value[:100]
                break
    if "author" not in out or "source" not in out:
        head = html[: min(len(html), 200_000)]
        for match in _BYLINE_FIELD.finditer(head):
            label, value = (match[1], match[2]) if match[1] else (match[3], match[4])
            key = "source" if label in ("来源", "稿源", "出处") else "author"
            out.setdefault(key, value)
            if "author" in out and "source" in out:
                break
    return out
