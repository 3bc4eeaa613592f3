"""Pose estimation: MoveNet over LiteRT / tflite-runtime, crop tracking, keypoint recordings."""
