"""taoyu (淘语): raw crawled web data in, a trusted, deduplicated, Chinese-first text corpus out."""

from taoyu.document import Document, Event, Source
from taoyu.pipeline import Pipeline, RunSummary, run_recipe
from taoyu.recipe import Recipe, RecipeError, load_recipe
from taoyu.version import __version__

__all__ = [
    "Document",
    "Event",
    "Pipeline",
    "Recipe",
    "RecipeError",
    "RunSummary",
    "Source",
    "__version__",
    "load_recipe",
    "run_recipe",
]
