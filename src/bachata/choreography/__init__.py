"""The Django app: songs, moves, choreography tasks and their blueprints."""
