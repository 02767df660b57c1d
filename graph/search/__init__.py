"""Full-text search statements."""
