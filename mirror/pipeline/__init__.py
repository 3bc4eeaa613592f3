"""The real-time pipeline: capture, inference, analysis and the UI on their own threads."""

from mirror.pipeline.core import Pipeline
from mirror.pipeline.handoff import LatestSlot
from mirror.pipeline.stats import PipelineStats, Samples
from mirror.pipeline.values import PipelineOutput

__all__ = ["LatestSlot", "Pipeline", "PipelineOutput", "PipelineStats", "Samples"]
