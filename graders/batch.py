"""Work in progress."""

def configure_batch(parser):
    pass


def run_batch(args):
    raise SystemExit('not written yet')


