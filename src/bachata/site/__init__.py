"""The Django project around the domain code."""
