"""nbgrader's exchange, driven from both sides: the instructor releases and collects, learners fetch and submit.

The instructor's steps run nbgrader's command line in the course folder. A learner's steps run
nbgrader's exchange classes in this process, the way Jupyter's Assignments tab runs them for a
learner on a hub, each learner in a home folder of their own. The exchange and nbgrader's
submission cache are folders the caller chooses (temporary ones in tests), so nothing outside them
is touched. Every step takes the assignment (a kit Assignment) it is about.
"""
import datetime
from pathlib import Path

from nbgrader.auth import Authenticator
from nbgrader.coursedir import CourseDirectory
from nbgrader.exchange.default import ExchangeFetchAssignment, ExchangeSubmit
from traitlets.config import Config

from graders.course import nbgrader

COURSE_ID = "dinosaur-island"


def exchange_options(exchange):
    """Command-line options that point nbgrader at this exchange and a cache beside it."""
    exchange = Path(exchange)
    return [f"--Exchange.root={exchange}", f"--Exchange.cache={exchange.parent / 'nbgrader_cache'}"]


def release_to_exchange(course, exchange, assignment):
    """The instructor's `nbgrader release_assignment` into the exchange."""
    Path(exchange).mkdir(parents=True, exist_ok=True)
    return nbgrader(course, "release_assignment", assignment.name, *exchange_options(exchange))


def as_learner(step, home, exchange, student, assignment):
    """Run one of nbgrader's exchange steps (fetch, submit) of an assignment for `student` working in `home`."""
    config = Config()
    config.Exchange.root = str(exchange)
    config.Exchange.cache = str(Path(exchange).parent / "nbgrader_cache")
    config.Exchange.assignment_dir = str(home)
    config.CourseDirectory.course_id = COURSE_ID
    config.CourseDirectory.assignment_id = assignment.name
    config.CourseDirectory.student_id = student
    coursedir = CourseDirectory(config=config)
    step(coursedir=coursedir, authenticator=Authenticator(config=config), config=config).start()


def hand_in(home, exchange, student, notebook_text, assignment):
    """Fetch the assignment, put the learner's notebook in its place, submit it as `student`."""
    Path(home).mkdir(parents=True, exist_ok=True)
    as_learner(ExchangeFetchAssignment, home, exchange, student, assignment)
    (Path(home) / assignment.name / assignment.notebook).write_text(notebook_text)
    as_learner(ExchangeSubmit, home, exchange, student, assignment)


def collect(course, exchange, assignment):
    """The instructor's `nbgrader collect`: the latest submission of every learner into submitted/."""
    return nbgrader(course, "collect", assignment.name, *exchange_options(exchange))


def set_due_date(course, when, assignment):
    """Record the assignment's due date (an aware datetime) in the course's gradebook."""
    stamp = when.astimezone(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
    return nbgrader(course, "db", "assignment", "add", assignment.name, f"--duedate={stamp}")
