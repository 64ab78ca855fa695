"""``python -m bachata.cli``."""

from bachata.cli import main

main()
