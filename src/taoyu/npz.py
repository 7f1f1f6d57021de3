"""Model files as ``.npz`` archives that are byte-identical for identical arrays.

``np.savez`` stamps each member with the current time, so retraining a model with no change would
still show up as a new binary in git. The shipped models (offensive text, industry) are written
here with a fixed timestamp instead, and read back with ``np.load(..., allow_pickle=False)``.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np


def save_npz(path: str | Path, arrays: Mapping[str, object]) -> None:
    """Write ``arrays`` (name -> array or scalar) to ``path`` in order, deflated, with fixed timestamps."""
    with zipfile.ZipFile(path, "w") as zf:
        for name, array in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.asarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, buf.getvalue())
