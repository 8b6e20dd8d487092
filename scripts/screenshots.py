"""Screenshots of the timeline page in Dutch, at desktop width and at 375 px, for docs/page.md.

Run against a served copy (`./dev serve`), with Debian's Chromium:

    .venv/bin/python -m scripts.screenshots --base-url http://127.0.0.1:8000 --out docs/img
"""

import argparse
import shutil
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# name: (width, height, path) of each shot; the first screen only, which is what readers see.
SHOTS = {
    "page-desktop-nl.png": (1280, 800, "/?lang=nl"),
    "page-phone-nl.png": (375, 740, "/?lang=nl"),
    "event-phone-nl.png": (375, 740, "/e/mali-coup-2021?lang=nl"),
}


def main() -> None:
    """Take every shot in `SHOTS` and write it to the output folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, default=Path("docs/img"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for name, (width, height, path) in SHOTS.items():
            context = browser.new_context(
                viewport={"width": width, "height": height}, locale="nl-NL"
            )
            page = context.new_page()
            page.goto(args.base_url + path)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=args.out / name)
            context.close()
            print(f"{args.out / name}: {width}×{height} {path}")
        browser.close()


if __name__ == "__main__":
    main()
