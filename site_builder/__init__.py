"""site_builder: the static site generator of an advocacy publication on political prisoners in Belarus."""

__version__ = "0.1.0"
