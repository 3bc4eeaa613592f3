"""Buttons and keys. They only emit Commands; the session decides what they mean."""
