"""Package the graders for other platforms: a Gradescope autograder bundle and a GitHub Classroom workflow.

    python -m graders export-gradescope OUT.zip [--assignment NAME]
    python -m graders export-github-workflow OUT.yml [--assignment NAME] [--kit-repository OWNER/NAME] [--fail-under S]

The Gradescope bundle holds setup.sh and run_autograder at its root (as Gradescope requires), the
graders package, the assignment's source folder (the reference solution stays on the grading
machine) and pyproject.toml with the pinned versions; the maintainers' tools/ stay out of it. The workflow checks out the kit from a
private repository and grades the learner's notebook on every push; see docs/security.md for why
only an instructor-side run can be trusted as the grade of record.
"""
import sys
import zipfile
from pathlib import Path

from graders.assignment import KIT_ROOT
from graders.files import write_atomically
from graders.options import add_assignment_options, chosen_assignment

BUNDLED = ("graders", "pyproject.toml", "README.md")  # what the kit needs to grade, besides the assignment's source
PYTHON_VERSION = "3.11"

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image.
set -euo pipefail
apt-get update
apt-get install -y --no-install-recommends python3 python3-venv python3-pip
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install --upgrade pip
/autograder/venv/bin/pip install -e /autograder/source   # the versions pinned in pyproject.toml
chmod -R a+rX /autograder/venv                             # the sandbox's unprivileged user needs Python
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission; it writes results/results.json.
set -uo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
PYTHON="${AUTOGRADER_PYTHON:-$ROOT/venv/bin/python}"
mkdir -p "$ROOT/results"
# Only root may read the kit (expected values, reference) and the submission; the learner's code
# runs as an unused uid when the grader is root, so it cannot read them (see docs/security.md).
chmod -R go-rwx "$ROOT/source" "$ROOT/submission" 2>/dev/null || true
SUBMISSION="$ROOT/submission/__NOTEBOOK__"
if [ ! -f "$SUBMISSION" ]; then
    SUBMISSION="$(find "$ROOT/submission" -type f \\( -name '*.ipynb' -o -name '*.py' \\) \\
                  -not -path '*/.ipynb_checkpoints/*' | sort | head -n 1)"
fi
if [ -z "$SUBMISSION" ]; then
    cat > "$ROOT/results/results.json" <<'EOF'
{"score": 0, "output": "No notebook (.ipynb) or Python file (.py) was found in the submission. Upload __NOTEBOOK__.", "tests": []}
EOF
    exit 0
fi
cd "$ROOT/source"
"$PYTHON" -m graders grade "$SUBMISSION" --assignment __ASSIGNMENT__ --format gradescope \\
    --output "$ROOT/results/results.json"
"""

WORKFLOW = """# Grades the __NOTEBOOK__ notebook on every push with the kit's graders.
# Written by `python -m graders export-github-workflow`. The kit (with the reference solution) is
# checked out from a private repository: set the repository variable DINO_KIT_REPOSITORY (unless
# it is written below) and the secret DINO_KIT_TOKEN (read access to it). See docs/security.md.
name: Autograding
on:
  push:
  workflow_dispatch:
permissions:
  contents: read
jobs:
  grade:
    runs-on: ubuntu-latest
    timeout-minutes: 30
    steps:
      - name: Check out the submission
        uses: actions/checkout@v4
        with:
          path: submission
      - name: Check out the grading kit
        uses: actions/checkout@v4
        with:
          repository: __REPOSITORY__
          token: ${{ secrets.DINO_KIT_TOKEN }}
          path: kit
      - name: Set up Python
        uses: actions/setup-python@v5
        with:
          python-version: "__PYTHON__"
      - name: Install the grading kit
        run: pip install -e ./kit
      - name: Grade the notebook
        shell: bash
        run: >-
          python -m graders grade "submission/__NOTEBOOK__" --assignment __ASSIGNMENT__ --format json --output results.json
          --fail-under __FAIL_UNDER__ | tee -a "$GITHUB_STEP_SUMMARY"
      - name: Keep the results
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: grading-results
          path: results.json
          if-no-files-found: ignore
"""


def configure_export_gradescope(parser):
    parser.add_argument("output", type=Path, help="the zip file to write (upload it as the autograder)")
    add_assignment_options(parser)


def run_export_gradescope(args):
    members = write_gradescope_bundle(args.output, chosen_assignment(args))
    print(f"wrote {args.output} ({len(members)} files): upload it in Gradescope under Configure Autograder")
    return 0


def configure_export_github_workflow(parser):
    parser.add_argument("output", type=Path, help="the workflow file, e.g. .github/workflows/classroom.yml")
    parser.add_argument("--kit-repository", metavar="OWNER/NAME",
                        help="the private repository holding this kit (default: the DINO_KIT_REPOSITORY variable)")
    parser.add_argument("--fail-under", type=float, default=100.0, metavar="SCORE",
                        help="the workflow fails below this score (default 100)")
    add_assignment_options(parser)


def run_export_github_workflow(args):
    if args.kit_repository is not None and args.kit_repository.count("/") != 1:
        print("--kit-repository must look like OWNER/NAME", file=sys.stderr)
        return 2
    write_atomically(args.output, github_workflow(chosen_assignment(args), args.kit_repository, args.fail_under))
    print(f"wrote {args.output}: commit it to the assignment's template repository under .github/workflows/")
    return 0


def github_workflow(assignment, kit_repository=None, fail_under=100.0):
    """The workflow's YAML text."""
    repository = kit_repository or "${{ vars.DINO_KIT_REPOSITORY }}"
    return (WORKFLOW.replace("__REPOSITORY__", repository).replace("__PYTHON__", PYTHON_VERSION)
            .replace("__NOTEBOOK__", assignment.notebook).replace("__ASSIGNMENT__", assignment.name)
            .replace("__FAIL_UNDER__", f"{fail_under:g}"))


def bundle_files(assignment):
    """{name in the zip: path} for the kit's files, links resolved, caches and hidden folders left out."""
    files = {}
    for entry in (*BUNDLED, assignment.source.relative_to(KIT_ROOT).as_posix()):
        path = KIT_ROOT / entry
        candidates = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for candidate in candidates:
            relative = candidate.relative_to(KIT_ROOT)
            if any(part.startswith(".") or part == "__pycache__" for part in relative.parts) or candidate.suffix == ".pyc":
                continue
            files[relative.as_posix()] = candidate.resolve()
    return files


def write_gradescope_bundle(output, assignment):
    """Write the zip (scripts executable, sorted members); returns the member names."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    members = []
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        run_autograder = RUN_AUTOGRADER.replace("__NOTEBOOK__", assignment.notebook).replace("__ASSIGNMENT__", assignment.name)
        for name, text in (("setup.sh", SETUP_SH), ("run_autograder", run_autograder)):
            write_member(bundle, name, text.encode(), 0o755)
            members.append(name)
        for name, path in sorted(bundle_files(assignment).items()):
            write_member(bundle, name, path.read_bytes(), 0o644)
            members.append(name)
    return members


def write_member(bundle, name, data, mode):
    """One zip member with Unix permissions and a fixed date (the same kit gives the same zip)."""
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
    info.external_attr = (0o100000 | mode) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    bundle.writestr(info, data)
