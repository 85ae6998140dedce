"""Approximate demo administrative boundaries derived from open facts (see README.md)."""
