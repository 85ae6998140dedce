"""Tile benchmarks (`python -m bench`), and the Django app that registers the bench layer.

The app is installed only in the server under test (GISIOC_EXTRA_APPS='["bench"]').
"""
