"""Use cases: plain functions over the ports in :mod:`bumpwell.services.ports`."""
