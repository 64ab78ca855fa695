"""Bachata Buddy: turn a song into a bachata choreography video.

The domain packages (``blueprint``, ``music``, ``moves``, ``planner``, ``render``,
``storage``, ``jobs``) import without Django; ``bachata.site`` and
``bachata.choreography`` are the Django shell around them.
"""

__version__ = "0.1.0"
