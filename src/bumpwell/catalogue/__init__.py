"""Reads the content files, validates them strictly and builds the immutable domain Catalogue."""

from bumpwell.catalogue.loader import default_content_dir, load_catalogue

__all__ = ["default_content_dir", "load_catalogue"]
