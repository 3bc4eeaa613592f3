"""Analysis: smoothing, view, calibration, hinge metrics, phase machine, cues."""
