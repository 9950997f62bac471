"""Adapters: the outside world (databases) behind the services' ports."""
