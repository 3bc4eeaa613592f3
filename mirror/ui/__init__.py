"""The mirror's display (pygame) and sound. Reads AppState; never computes analysis."""
