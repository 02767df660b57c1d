"""Analyses over the registry: duplicate candidates, crosswalk suggestions and gaps."""
