"""The pure clinical core: standard library only, no files, no clock, no environment."""
