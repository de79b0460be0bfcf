"""The version of backchannel, in one place."""

__version__ = "0.1.0"
