"""Measurements of the project's own tools (build cost, search quality). Nothing here is published."""
