"""Demo material the project makes itself: synthetic songs and the evaluation corpus
(:mod:`~bachata.demo.synth`, :mod:`~bachata.demo.corpus`), stick-figure move clips
(:mod:`~bachata.demo.clips`) and their planner library (:mod:`~bachata.demo.library`).

This module itself is light (the CLI imports it for the account's name).
"""

#: The demo account (``make demo``); its newest video is the home page's sample.
DEMO_USER = "demo"
DEMO_PASSWORD = "bachata-demo-2024"
