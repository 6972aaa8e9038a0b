"""One run on this machine: supervisor, the fleet of worker processes, the worker loop, journal, closing, scaling."""
