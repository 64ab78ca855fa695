"""What a dancer does on a page, shared by the browser tests."""

from __future__ import annotations

from pathlib import Path

SHOTS = Path(__file__).parents[2] / "test-artifacts" / "screenshots"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_up(page, base: str, username: str) -> None:
    page.goto(f"{base}/signup/")
    page.fill("#id_username", username)
    page.fill("#id_password1", "Bachata-sensual-2024")
    page.fill("#id_password2", "Bachata-sensual-2024")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/songs/")
