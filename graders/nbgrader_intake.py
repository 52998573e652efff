"""What nbgrader may take in as a learner's submission: no links, no instructor content (see graders/intake.py).

Named in the course's nbgrader_config.py, three steps keep nbgrader from reading a file through a
link a learner made, and give such a submission 0 with a flag instead:

- `CollectWithoutLinks` (`nbgrader collect`): the exchange's inbound folder is writable by every
  learner. A submission is copied without following any link in it; a link, or a file with several
  names, is left out, and a notebook left out is replaced by a refusal notebook (the released notebook,
  marked refused, with a note at the top).
- `refuse_links` (`nbgrader autograde`, before nbgrader reads anything): the same for links found in
  `submitted/` (files unpacked from an LMS download, say). The link itself is removed (never its
  target) and the refusal notebook written in its place.
- `RefuseNonSubmissions` (first step of autograde's sanitizing): a notebook that is marked refused or
  whose learner-written cells hold instructor-only content is replaced by the refusal notebook, so
  neither the learner's process, the autograded notebook nor the feedback holds what it had.

A refusal notebook scores 0 with the reason on every test cell (`graders.grading.grade` refuses it),
and every refusal is a warning in nbgrader's log naming the learner's file.
"""
import logging
import os
import stat
import tempfile
from pathlib import Path

import nbformat
from nbformat.v4 import new_markdown_cell, new_notebook
from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets.config import Application

from graders.assignment import load_assignment
from graders.intake import REASONS, REFUSED_KEY, file_refusal, linked_part, notebook_refusal

CHUNK = 1 << 20


class CollectWithoutLinks(ExchangeCollect):
    """nbgrader collect that never follows a link a learner put in the exchange."""

    def do_copy(self, src, dest, log=None):
        with tempfile.TemporaryDirectory() as staging:
            copy = Path(staging) / "submission"
            refused = copy_without_links(src, copy, 1000 * self.coursedir.max_file_size)
            super().do_copy(str(copy), dest)
        for name, code in refused.items():
            self.log.warning("%s: %s in the exchange was not collected: %s", dest, name, REASONS[code])
        write_refusals(dest, refused, self.coursedir.assignment_id)


def copy_without_links(source, target, max_bytes):
    """Copy the folder source to target without following links; {relative name: REASONS key} of what was left out.

    Folders are opened relative to their parent's descriptor and files with O_NOFOLLOW, so a link
    swapped in while copying is not followed either. Files over max_bytes are left out silently, as
    nbgrader's own copy does.
    """
    try:
        folder = os.open(source, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        Path(target).mkdir(parents=True)
        return {".": "link"}  # the submission folder itself is a link (or gone)
    refused = {}
    try:
        copy_folder(folder, Path(target), "", max_bytes, refused)
    finally:
        os.close(folder)
    return refused


def copy_folder(folder, target, prefix, max_bytes, refused):
    """Copy the entries of the open folder descriptor into target, recording refused entries."""
    target.mkdir(parents=True, exist_ok=True)
    for name in sorted(os.listdir(folder)):
        info = os.stat(name, dir_fd=folder, follow_symlinks=False)
        if stat.S_ISDIR(info.st_mode):
            child = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=folder)
            try:
                copy_folder(child, target / name, f"{prefix}{name}/", max_bytes, refused)
            finally:
                os.close(child)
            continue
        code = "link" if stat.S_ISLNK(info.st_mode) else "not-a-file" if not stat.S_ISREG(info.st_mode) else ""
        if not code:
            code = copy_file(folder, name, target / name, max_bytes)
        if code:
            refused[prefix + name] = code


def copy_file(folder, name, target, max_bytes):
    """Copy one regular file with a single name; the REASONS key when it is refused instead ("" when copied)."""
    try:
        handle = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=folder)
    except OSError:
        return "link"
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            return "not-a-file"
        if info.st_nlink > 1:
            return "hard-link"
        if info.st_size > max_bytes:
            return ""
        with open(target, "wb") as out:
            while chunk := os.read(handle, CHUNK):
                out.write(chunk)
    finally:
        os.close(handle)
    return ""


def write_refusals(folder, refused, assignment_id):
    """Write a refusal notebook at each refused notebook's place (the assignment's notebook if the folder was refused)."""
    if not refused:
        return
    folder, assignment = Path(folder), load_assignment(assignment_id)
    names = {name: code for name, code in refused.items() if name.endswith(".ipynb")}
    if "." in refused:
        names = {assignment.notebook: refused["."]}
    for name, code in names.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(refusal_notebook(assignment, Path(name).name, code), str(folder / name))


def refusal_notebook(assignment, name, code):
    """assignment's released notebook `name`, marked refused for REASONS[code], with the reason in a cell at the top."""
    released = assignment.release / name
    notebook = nbformat.read(str(released), as_version=4) if released.is_file() else new_notebook()
    notebook.metadata[REFUSED_KEY] = code
    notebook.cells.insert(0, new_markdown_cell(f"**This submission was not graded**: {REASONS[code]}."))
    return notebook


def refuse_links(assignment, student, notebooks):
    """nbgrader's pre-convert hook for autograde: replace links (and files with several names) in submitted/.

    Runs in the course folder before nbgrader reads the learner's files (a hook must not raise: nbgrader
    would only log it and go on). A link is removed, never followed, and a refused notebook gets the
    refusal notebook in its place.
    """
    log = Application.instance().log if Application.initialized() else logging.getLogger(__name__)
    for folder in sorted({Path(notebook).parent for notebook in notebooks}):
        code, link = linked_part(folder, Path(os.getcwd()) / "submitted")
        if code == "link":  # the learner's folder, or one above it, is a link: make it a real, empty folder
            log.warning("%s is a link; not followed: %s", link, REASONS[code])
            os.unlink(link)
            folder.mkdir(parents=True)
            refused = {".": code}
        else:
            refused = linked_entries(folder)
        for name, reason in refused.items():
            if name != ".":
                log.warning("%s: %s was not graded: %s", folder, name, REASONS[reason])
                os.unlink(folder / name)
        write_refusals(folder, refused, folder.name)


def linked_entries(folder):
    """{relative name: REASONS key} of the links, non-files and multiply-named files below folder."""
    refused = {}
    for root, folders, files in os.walk(folder):
        for name in files + [entry for entry in folders if os.path.islink(os.path.join(root, entry))]:
            code = file_refusal(Path(root) / name, folder)
            if code:
                refused[os.path.relpath(os.path.join(root, name), folder)] = code
    return refused


class RefuseNonSubmissions(NbGraderPreprocessor):
    """Replace a notebook that is marked refused or holds instructor-only content by the refusal notebook."""

    def preprocess(self, nb, resources):
        assignment = load_assignment(resources["nbgrader"]["assignment"])  # nbgrader's id is the declared name
        code = notebook_refusal(nb, assignment)
        if not code:
            return nb, resources
        self.log.warning("%s's %s was not graded: %s", resources["nbgrader"]["student"],
                         resources["nbgrader"]["notebook"], REASONS[code])
        refused = refusal_notebook(assignment, f"{resources['nbgrader']['notebook']}.ipynb", code)
        return refused, resources
