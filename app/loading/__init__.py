"""The load pipeline: data files, validation, table rows, the loader and the exporter."""
