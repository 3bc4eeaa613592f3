"""The real-time pipeline: capture, inference, analysis and the UI on their own threads."""

from mirror.pipeline.core import Pipeline, PipelineOutput
from mirror.pipeline.handoff import LatestSlot
from mirror.pipeline.stats import PipelineStats, Samples

__all__ = ["LatestSlot", "Pipeline", "PipelineOutput", "PipelineStats", "Samples"]
