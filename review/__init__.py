"""The review web page (``bulletins review``): approve, correct or reject records against their source."""
