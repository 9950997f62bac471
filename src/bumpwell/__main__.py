"""`python -m bumpwell` runs the command line."""

from bumpwell.cli.main import run

run()
