"""Web pages for co-chairs, served by the API process: server-rendered, no build step."""
