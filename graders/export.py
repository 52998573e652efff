"""Work in progress."""

def configure_export_gradescope(parser):
    pass


def run_export_gradescope(args):
    raise SystemExit('not written yet')


def configure_export_github_workflow(parser):
    pass


def run_export_github_workflow(args):
    raise SystemExit('not written yet')


