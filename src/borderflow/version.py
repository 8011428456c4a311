"""The package version (one place; the package and the files a run writes read it)."""

__version__ = "0.1.0"
