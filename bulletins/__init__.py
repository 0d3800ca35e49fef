"""The ``bulletins`` command line (:mod:`bulletins.cli`): the application around the ``pipeline`` library."""
