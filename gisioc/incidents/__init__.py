"""Incidents (việc đột xuất): an unexpected event at a place, handled from open to summary."""
