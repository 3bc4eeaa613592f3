"""Hinge Mirror: a smart-mirror coach for the hip hinge."""

__version__ = "0.1.0"
