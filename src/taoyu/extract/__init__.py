"""Main-content extraction: ``main_text(html, url)`` for anyone who wants just the extractor."""

from taoyu.extract.main_text import main_text

__all__ = ["main_text"]
