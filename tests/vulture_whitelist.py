"""Names that look unused to vulture (tests/test_code_health.py) but that a framework reads or calls.

Never imported: vulture reads it as one more source file, in which each name below is used.
"""
# noqa: F821 throughout: `_` stands for any object
_.student_id  # nbgrader calls LateSubmissionPlugin.late_submission_penalty(student_id, score, seconds_late)
_.preprocess  # nbgrader calls a preprocessor's preprocess(nb, resources)
_.isatty  # the learner's code may ask sys.stdout.isatty() of the sandbox's stream
_.__path__  # Python's import system reads a package's __path__ (graders/assignment.py)
_.compress_type  # zipfile reads ZipInfo.compress_type (graders/export.py)
_.soft  # resource.getrlimit returns (soft, hard) (graders/sandbox/confine.py)
_.handle_starttag, _.handle_endtag, _.handle_data, _.attrs  # html.parser calls them (tests/nbgrader_pages.py)
# traitlets configuration that nbgrader reads (nbgrader_config.py, tests/nbgrader_exchange.py)
_.course_id, _.source_directory, _.release_directory, _.ignore, _.pattern, _.pre_convert_hook
_.add_missing_cells, _.max_traceback, _.autograde_preprocessors, _.sanitize_preprocessors, _.assignment_dir
_.assignment_id
_.template_name, _.template_file, _.extra_template_basedirs  # nbconvert's HTMLExporter reads them (feedback)
