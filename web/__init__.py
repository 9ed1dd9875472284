"""Web UI and JSON API of Territoires KB (FastAPI + Jinja2, server-rendered, French first)."""
