"""The accessibility check (issue 16 point 10) as one helper, for the
accessibility test and the role journeys: axe-core, run in the page by
axe-playwright-python; violations axe rates serious or critical are held,
"moderate" and "minor" ones (best-practice advice such as landmarks for
every bit of text) are not."""
from axe_playwright_python.sync_playwright import Axe

HELD = {"serious", "critical"}


def serious_violations(page):
    """["rule (impact): [element …]"] for each serious or critical violation
    axe finds on the page as it is shown now."""
    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in HELD:
            targets = [f'{" ".join(map(str, node["target"]))} {node["html"][:120]}' for node in violation["nodes"]][:5]
            found.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return found
