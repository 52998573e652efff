"""Work in progress."""

def configure_mutation_report(parser):
    pass


def run_mutation_report(args):
    raise SystemExit('not written yet')


