"""``python -m bachata.jobs``: the render job entrypoint."""

from bachata.jobs.entrypoint import main

main()
