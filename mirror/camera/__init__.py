"""Frame sources: picamera2, USB webcam, video file; all deliver Frame values."""
