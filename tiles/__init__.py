"""Renders registered layers as Mapbox Vector Tiles, TileJSON, style.json and legends."""
