# `python -m pipeline` is the command line of CONTRACT.md: it runs the application's entry point
# (bulletins.cli), which may import the flows and the review page; importing `pipeline` never does.
from bulletins.cli import main

raise SystemExit(main())
