"""CoupaDownloads engine. Never imports Qt: the GUI and the CLI are both thin layers over this package."""

__version__ = "0.1.0"
