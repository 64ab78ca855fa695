"""What a dancer does on a page, shared by the browser tests."""

from __future__ import annotations

from pathlib import Path

SHOTS = Path(__file__).parents[2] / "test-artifacts" / "screenshots"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"


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


def accessibility_problems(page) -> list[str]:
    """Serious or critical axe-core violations on the page, one line each (empty: none)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(
            n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
            for n in v["nodes"][:3]
        )
        for v in result
        if v["impact"] in ("serious", "critical")
    ]
