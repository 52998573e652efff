"""Files the graders write (reports, CSVs, workflows): whole, or not at all."""
import os
import tempfile
from pathlib import Path


def write_atomically(path, text):
    """Write text to path so that readers see the old file or the new one, never half of one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)  # nothing half-written stays behind
        raise
