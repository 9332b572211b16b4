"""Benchmarks that print figures (`toolbox.py bench`, `toolbox.py lighthouse`); tests never time anything."""
