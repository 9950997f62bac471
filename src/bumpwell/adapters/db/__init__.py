"""SQLAlchemy storage: one code path for SQLite and PostgreSQL."""
