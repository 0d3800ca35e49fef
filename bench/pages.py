"""``python -m bench.pages``: the page generator's command line (the generator is :mod:`testkit.pages`)."""
from testkit.pages import main

if __name__ == "__main__":
    raise SystemExit(main())
