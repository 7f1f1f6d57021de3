"""A plain HTML-to-text step: decode, drop non-content tags, keep one text block per line.

This is the baseline that lets a recipe run end to end; the main-content extractor replaces it.
"""

from __future__ import annotations

from typing import ClassVar

import pyarrow as pa
from pydantic import Field
from selectolax.lexbor import LexborHTMLParser

from taoyu.document import Document, Event
from taoyu.extract.boilerplate import page_title
from taoyu.extract.text import block_lines
from taoyu.io.encoding import decode_html
from taoyu.registry import register
from taoyu.steps.base import Step, StepParams

_NON_CONTENT = "script, style, noscript, template, iframe, svg, head, nav, footer, form, select, button"


class HtmlToTextParams(StepParams):
    """How much undecodable text a page may hold: a page decoded with many replacements is garbage,
    better reported as an error than kept."""

    max_replacement_ratio: float = Field(0.01, ge=0, le=1)
    """Share of characters no codec could decode above which the page counts as undecodable."""


@register("html_to_text")
class HtmlToText(Step):
    """Decode page bytes (BOM, UTF-8, declared charset, GB18030); keep visible text, a block per line."""

    Params = HtmlToTextParams
    params: HtmlToTextParams
    output_fields: ClassVar[dict[str, pa.DataType]] = {"title": pa.string(), "charset": pa.string()}

    def process(self, doc: Document) -> Document:
        """Decode the page and keep its visible text, a block per line, minus scripts, navigation and forms.
        No main-content guessing, so no content is lost to a wrong guess."""
        html = decode_page(doc, self.name, self.params.max_replacement_ratio)
        if html is None:
            return doc
        tree = LexborHTMLParser(html)
        title = tree.css_first("title")
        if title is not None:
            doc.meta["title"] = page_title(title.text(strip=True)) or None
        for node in tree.css(_NON_CONTENT):
            node.decompose()
        root = tree.body or tree.root
        doc.text = "\n".join(block_lines(root)) if root is not None else ""
        doc.trace.append(Event(self.name, "edit", details={"html_chars": len(html), "chars": len(doc.text)}))
        return doc


def decode_page(doc: Document, step: str, max_replacement_ratio: float) -> str | None:
    """Decode ``doc.raw`` into HTML, recording charsets; None when there is nothing to decode or
    the bytes are undecodable (then an error event says so)."""
    if doc.raw is None:
        return None  # already text (WET, JSONL): nothing to extract
    decoded = decode_html(doc.raw, doc.meta.pop("http_charset", None))
    doc.raw = None
    doc.meta["charset"] = decoded.encoding
    if decoded.declared:
        doc.meta["charset_declared"] = decoded.declared
    ratio = decoded.replacements / max(len(decoded.text), 1)
    if ratio > max_replacement_ratio:
        doc.trace.append(Event(step, "error", "undecodable bytes", ratio, max_replacement_ratio))
        return None
    return decoded.text
