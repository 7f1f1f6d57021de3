"""The ``extract_html`` step: decode page bytes and keep the main content (taoyu.extract)."""

from __future__ import annotations

import re
from typing import ClassVar

import pyarrow as pa
from selectolax.lexbor import LexborHTMLParser

from taoyu.document import Document, Event
from taoyu.extract.main_text import main_text_of_tree
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
_DATE_IN_TEXT = re.compile(r"(20\d\d|19\d\d)[-年/.](\d{1,2})[-月/.](\d{1,2})")


@register("extract_html")
class ExtractHtml(Step):
    """Decode page bytes (no mojibake), keep the main content a paragraph per line, plus title and date."""

    Params = HtmlToTextParams
    params: HtmlToTextParams
    output_fields: ClassVar[dict[str, pa.DataType]] = {
        "title": pa.string(),
        "publish_date": pa.string(),
        "charset": pa.string(),
    }

    def process(self, doc: Document) -> Document:
        html = decode_page(doc, self.name, self.params.max_replacement_ratio)
        if html is None:
            return doc
        hidden = count_random_tags(html)  # counted in the page: extraction drops these elements
        if hidden:
            doc.meta["hidden_tags"] = doc.meta.get("hidden_tags", 0) + hidden
        tree = LexborHTMLParser(html)
        title = tree.css_first("title") or tree.css_first("h1")
        if title is not None and title.text(strip=True):
            doc.meta["title"] = title.text(strip=True)
        date = _publish_date(tree)  # read before extraction prunes the tree
        text = main_text_of_tree(tree) if html.strip() else ""
        if date is None:
            match = _DATE_IN_TEXT.search(text[:500])
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
