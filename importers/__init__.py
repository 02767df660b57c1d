"""Importers: one module per input format, all parse -> validate -> write in batches."""
