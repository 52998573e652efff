"""`python -m graders ...`: see graders/cli.py."""
from graders.cli import main

raise SystemExit(main())
