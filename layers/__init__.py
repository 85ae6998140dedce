"""The thematic layer registry: one declarative entry per layer (see DESIGN.md, convention 1)."""
