"""The values that move between the pipeline's threads and out to the UI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mirror.analysis.engine import AnalysisUpdate
from mirror.analysis.events import Cue, RepEvent
from mirror.camera.frame import Frame
from mirror.pose.keypoints import Pose


@dataclass(frozen=True, slots=True)
class PipelineOutput:
    """One analysed frame, as the UI sees it. Times on time.monotonic()."""

    seq: int
    update: AnalysisUpdate
    pose: Pose | None  # None when no person was found
    frame_t: float  # source clock
    frame_index: int
    captured: float  # camera timestamp (or read time), monotonic
    analysed: float
    frame: Frame | None = None  # only with keep_frames (a debug view), never stored


@dataclass(frozen=True, slots=True)
class Captured:
    frame: Frame
    captured: float
    prepared: Any = None  # the model input, made on the capture thread (estimator.prepare)


@dataclass(frozen=True, slots=True)
class Estimated:
    item: Captured
    pose: Pose
    estimate_s: float
    stage: tuple[float, float, float, int] | None  # preprocess, invoke, postprocess s, runs


Event = RepEvent | Cue
