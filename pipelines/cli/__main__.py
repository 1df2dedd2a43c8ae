"""`python -m pipelines.cli` runs the `calque` command line."""
from pipelines.cli import main

main(prog_name="calque")
