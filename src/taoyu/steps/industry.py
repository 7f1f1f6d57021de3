"""Industry and content type: what each kept document is about, and what kind of text it is.

Sets four columns of the dataset: ``industry`` (a GB/T 4754-2017 section code ``A``-``T``, a
code of the user's own taxonomy when the recipe names a model trained with ``taoyu label-train``,
or ``other`` when no label fits well enough), ``industry_score`` (its calibrated probability),
``industry_runner_up`` (the second label when its probability is at least half the winner's) and
``content_type`` (news, government_notice, academic, tutorial, qa, forum, blog, literature, legal,
product, listing, advertising or other). The ledger's trace has all of them with their scores.

The labeller reads the title, the address and the opening of the text
(:mod:`taoyu.industry.model`); the content type reads the text's conventions
(:mod:`taoyu.industry.content_type`). Put the step after the filters: it labels only what is kept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

import pyarrow as pa
from pydantic import Field

from taoyu.document import Document
from taoyu.industry import content_type
from taoyu.industry.model import LabelModel, Prediction, packaged_model_path
from taoyu.registry import register
from taoyu.steps.base import Annotator, StepParams


class IndustryParams(StepParams):
    """Which label model to use (a recipe may bring its own taxonomy), how sure it must be before a label
    beats ``other``, and whether to add the content type."""

    model: str | None = None
    """A label model file written by ``taoyu label-train``; None: the built-in GB/T 4754 model."""
    threshold: float | None = Field(None, gt=0, lt=1)
    """Probability below which a document is ``other``; None: the model's own (set in training)."""
    content_type: bool = True
    """Also say what kind of text each document is."""


@register("industry")
class Industry(Annotator):
    """Label each document with its industry (GB/T 4754 section or your taxonomy) and content type."""

    Params = IndustryParams
    params: IndustryParams
    partition_fields: ClassVar[frozenset[str]] = frozenset({"industry", "industry_runner_up", "content_type"})
    output_fields: ClassVar[dict[str, pa.DataType]] = {
        "industry": pa.string(),
        "industry_score": pa.float64(),
        "industry_runner_up": pa.string(),
        "content_type": pa.string(),
    }

    def artifacts(self) -> list[tuple[str, Path]]:
        """The label model: the recipe's file, or the packaged GB/T 4754 one."""
        return [("model", Path(self.params.model) if self.params.model else packaged_model_path())]

    def setup(self) -> None:
        """Load the label model once per worker (the recipe's file, or the packaged GB/T 4754 one)."""
        self._model = LabelModel.load(self.params.model)
        self._prepared: dict[int, tuple[str, Prediction]] = {}

    def prepare(self, docs: Sequence[Document]) -> None:
        """Label the batch in one call of the model (one compiled pass for all of its pages)."""
        if not hasattr(self, "_model"):
            self.setup()
        self._prepared = {}
        try:
            predictions = self._predict(docs)
        except Exception:  # each document is labelled again, and fails alone, in annotate()
            return
        self._prepared = {id(doc): (doc.text, p) for doc, p in zip(docs, predictions, strict=True)}

    def _predict(self, docs: Sequence[Document]) -> list[Prediction]:
        titles = [_title(doc) for doc in docs]
        urls = [doc.url for doc in docs]
        return self._model.predict([doc.text for doc in docs], titles, urls, self.params.threshold)

    def annotate(self, doc: Document) -> Mapping[str, Any]:
        """The industry with its probability and runner-up, and the content type with its scores. When
        the threshold made the label ``other``, the best guess is kept too, so the ledger shows what
        nearly won."""
        if not hasattr(self, "_model"):
            self.setup()
        prepared = self._prepared.pop(id(doc), None)
        prediction = (
            prepared[1] if prepared is not None and prepared[0] is doc.text else self._predict([doc])[0]
        )
        labels: dict[str, Any] = {
            "industry": prediction.label,
            "industry_score": prediction.score,
            "score": prediction.score,
        }
        if prediction.label != prediction.best:
            labels["industry_best"] = prediction.best
        if prediction.runner_up is not None:
            labels["industry_runner_up"] = prediction.runner_up
            labels["industry_runner_up_score"] = prediction.runner_up_score
        if self.params.content_type:
            kind = content_type.classify(_with_credits(doc), title=_title(doc), url=doc.url)
            labels["content_type"] = kind.kind
            labels["content_type_score"] = kind.score
            labels["content_type_scores"] = {k: v for k, v in kind.scores.items() if v}
        return labels


def _with_credits(doc: Document) -> str:
    """The text with the credits extraction took out of it as chrome (a reporter's line, 来源：…;
    ``meta["credits"]``) before it: a report's kind is in them."""
    credits = doc.meta.get("credits")
    if isinstance(credits, list) and credits:
        return "\n".join([*(str(line) for line in credits), doc.text])
    return doc.text


def _title(doc: Document) -> str | None:
    title = doc.meta.get("title")
    return title if isinstance(title, str) else None
