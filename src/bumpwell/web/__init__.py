"""The web edge: FastAPI app factory, the JSON API under /api/v1, security headers, problem documents."""
