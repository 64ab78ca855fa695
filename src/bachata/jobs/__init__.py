"""Render jobs: the job entrypoint (environment contract) and task status updates."""
