"""The mirror's display (pygame) and sound. Reads AppState; never computes analysis."""

import os

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # no banner in the kiosk's log
