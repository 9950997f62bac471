"""Exporters: pure functions from a read model (and an explicit generation time) to bytes. No database, no request."""
