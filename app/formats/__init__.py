"""Representations other than the API's own JSON: TimelineJS, GeoJSON, CSV and JSON-LD."""
