"""Checks axe-core does not make, run by the `axe` fixture on every page a journey checks.

- No link or button is named after an icon: Material Symbols draws icons from ligatures, words
  such as "chevron_right" that a screen reader reads out as they are (WCAG 1.1.1, 2.4.4, 4.1.2).
- Exactly one `<h1>`, not empty, and exactly one `<main>` (axe's rules for these are best
  practice, not WCAG).
- A skip link: the first element the Tab key reaches is a link to `#main-content`, which exists
  (WCAG 2.4.1).
- Every button's text has a contrast of at least 4.5:1 with the background it is drawn on, computed
  from the rendered page (WCAG 1.4.3): axe leaves out text whose background it cannot be sure of.
- At the phone's width (390 pixels) the page does not scroll sideways (WCAG 1.4.10, reflow).

`screenshots()` also saves each page at the desktop's and the phone's width, for people to look at.
"""

import re
from pathlib import Path

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
MINIMUM_CONTRAST = 4.5

# Material Symbols icons the admin's pages drew. A name with an underscore is never an English word,
# so it is looked for anywhere in an accessible name; the others are, so they count only as the text
# of an icon (an element with a material-symbols class), or at the start of a name before the label
# itself ("group Users").
ICON_NAMES = (
    "chevron_right",
    "arrow_circle_down",
    "unfold_more",
    "dock_to_right",
    "search",
    "school",
    "group",
    "key",
    "history",
    "mail",
    "visibility",
    "edit",
    "add",
    "cancel",
    "close",
    "expand_more",
    "menu",
    "person",
)

# Runs in the page: what the checks need, measured on the page as it is rendered now.
_MEASURE = """
(iconNames) => {
    const visible = (element) => element.checkVisibility({visibilityProperty: true});
    const hidden = (element) => element.closest("[aria-hidden='true'], [hidden], [inert]") !== null;

    // An accessible name, near enough: aria-label or aria-labelledby, else the text a screen reader
    // would read (aria-hidden and undisplayed parts left out), else an input's value or the title.
    const textOf = (node) => {
        if (node.nodeType === Node.TEXT_NODE) return node.textContent;
        if (node.nodeType !== Node.ELEMENT_NODE || node.getAttribute("aria-hidden") === "true") return "";
        const style = getComputedStyle(node);
        if (style.display === "none" || style.visibility === "hidden") return "";
        if (node.hasAttribute("aria-label")) return ` ${node.getAttribute("aria-label")} `;
        if (node.tagName === "IMG") return ` ${node.alt || ""} `;
        const text = Array.from(node.childNodes).map(textOf).join("");
        return style.display.startsWith("inline") ? text : ` ${text} `;
    };
    const nameOf = (element) => {
        const label = element.getAttribute("aria-label");
        if (label) return label;
        const labelledBy = element.getAttribute("aria-labelledby");
        if (labelledBy) {
            return labelledBy.split(/\\s+/).map((id) => document.getElementById(id)).filter(Boolean)
                .map((each) => textOf(each)).join(" ");
        }
        const text = Array.from(element.childNodes).map(textOf).join("");
        if (text.trim()) return text;
        return element.value || element.title || "";
    };
    const squash = (text) => text.replace(/\\s+/g, " ").trim();
    const describe = (element) => {
        const name = squash(nameOf(element));
        return `${element.tagName.toLowerCase()} "${name || element.outerHTML.slice(0, 120)}"`;
    };

    const words = iconNames.filter((name) => !name.includes("_")).join("|");
    const underscored = iconNames.filter((name) => name.includes("_")).join("|");
    const anywhere = new RegExp(`(^|[^A-Za-z0-9_])(${underscored})($|[^A-Za-z0-9_])`);
    const atStart = new RegExp(`^(${words})\\\\s+[A-Z]`);
    const controls = "a[href], button, [role='button'], [role='link'], input[type='submit'], "
        + "input[type='button'], input[type='reset'], summary";
    const iconNamed = [];
    for (const element of document.querySelectorAll(controls)) {
        if (!visible(element) || hidden(element)) continue;
        const name = squash(nameOf(element));
        const ligatures = Array.from(element.querySelectorAll("[class*='material-symbols']"))
            .filter((icon) => !hidden(icon) && icon.textContent.trim())
            .map((icon) => icon.textContent.trim());
        const found = [...ligatures];
        let match = name.match(anywhere);
        if (match) found.push(match[2]);
        match = name.match(atStart);
        if (match) found.push(match[1]);
        if (found.length) iconNamed.push(`${describe(element)} reads out the icon ${[...new Set(found)].join(", ")}`);
    }

    // The first element Tab reaches: a positive tabindex first, then the rest in the document's order.
    const focusable = Array.from(document.querySelectorAll(
        "a[href], button, input, select, textarea, summary, [tabindex], [contenteditable='true']"
    )).filter((element) => !element.disabled && element.tabIndex >= 0 && visible(element)
        && !hidden(element) && element.getAttribute("type") !== "hidden");
    const ordered = [
        ...focusable.filter((element) => element.tabIndex > 0).sort((a, b) => a.tabIndex - b.tabIndex),
        ...focusable.filter((element) => element.tabIndex === 0),
    ];
    const first = ordered[0];
    const skipLink = first && first.tagName === "A" && first.getAttribute("href") === "#main-content";

    // Colours as the canvas reads them: any CSS colour (oklch, color-mix…) becomes sRGB and alpha.
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 1;
    const context = canvas.getContext("2d", {willReadFrequently: true});
    const rgba = (colour) => {
        context.clearRect(0, 0, 1, 1);
        context.fillStyle = "#000";
        context.fillStyle = colour;
        context.fillRect(0, 0, 1, 1);
        const [r, g, b, a] = context.getImageData(0, 0, 1, 1).data;
        return [r, g, b, a / 255];
    };
    const over = ([r, g, b, a], [R, G, B]) => [r * a + R * (1 - a), g * a + G * (1 - a), b * a + B * (1 - a), 1];
    // The background a button's text is drawn on: its own and its ancestors' background colours, each
    // laid over the next, down to the first that is opaque (white, the canvas, if none is).
    const backgroundOf = (element) => {
        const layers = [];
        for (let node = element; node; node = node.parentElement) {
            const colour = rgba(getComputedStyle(node).backgroundColor);
            if (colour[3] > 0) layers.push(colour);
            if (colour[3] >= 1) break;
        }
        return layers.reduceRight((below, layer) => over(layer, below), [255, 255, 255, 1]);
    };
    const luminance = ([r, g, b]) => {
        const channel = (value) => {
            const c = value / 255;
            return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        };
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const buttons = [];
    for (const element of document.querySelectorAll("button, input[type='submit'], a.app-button")) {
        // WCAG asks nothing of a disabled control's contrast.
        if (!visible(element) || hidden(element) || element.disabled) continue;
        const rect = element.getBoundingClientRect();
        if (rect.width < 2 || rect.height < 2) continue;  // visually hidden: no text is drawn
        const background = backgroundOf(element);
        const text = over(rgba(getComputedStyle(element).color), background);
        const [lighter, darker] = [luminance(text), luminance(background)].sort((a, b) => b - a);
        buttons.push({name: describe(element), ratio: (lighter + 0.05) / (darker + 0.05)});
    }

    return {
        h1: document.querySelectorAll("h1").length,
        h1Text: Array.from(document.querySelectorAll("h1")).map((each) => squash(each.textContent)),
        main: document.querySelectorAll("main, [role='main']").length,
        skipLink,
        skipTarget: document.getElementById("main-content") !== null,
        firstFocusable: first ? describe(first) : null,
        iconNamed,
        materialSymbols: document.querySelectorAll("[class*='material-symbols']").length,
        buttons,
    };
}
"""

_SETTLE = "() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))"


def page_problems(page) -> list[str]:
    """What is wrong with the page shown now, as sentences; [] if nothing."""
    found = page.evaluate(_MEASURE, list(ICON_NAMES))
    problems = [f"accessible name with an icon's name: {each}" for each in found["iconNamed"]]
    if found["materialSymbols"]:
        problems.append(f"{found['materialSymbols']} Material Symbols icon(s) (class material-symbols*)")
    if found["h1"] != 1:
        problems.append(f"{found['h1']} <h1> elements, not exactly one")
    elif not found["h1Text"][0]:
        problems.append("the <h1> is empty")
    if found["main"] != 1:
        problems.append(f"{found['main']} <main> elements, not exactly one")
    if not found["skipLink"]:
        first = found["firstFocusable"]
        problems.append(f"no skip link: the first element Tab reaches is {first}, not a link to #main-content")
    elif not found["skipTarget"]:
        problems.append("the skip link goes nowhere: no element has id main-content")
    problems += [
        f"button contrast {each['ratio']:.2f}:1, below {MINIMUM_CONTRAST}:1: {each['name']}"
        for each in found["buttons"]
        if round(each["ratio"], 2) < MINIMUM_CONTRAST
    ]
    return problems


def file_name(name: str) -> str:
    """`Add user – personal details, with errors` → `add-user-personal-details-with-errors`."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "page"


def screenshots(page, directory: Path, name: str) -> list[str]:
    """Save the page at the desktop's width and at the phone's, and check it does not scroll sideways
    on the phone; the viewport is then put back as it was. Returns the problems found."""
    directory.mkdir(exist_ok=True)
    before = page.viewport_size
    try:
        page.set_viewport_size(DESKTOP)
        page.evaluate(_SETTLE)
        page.screenshot(path=directory / f"{file_name(name)}-desktop.png", full_page=True)
        page.set_viewport_size(PHONE)
        page.evaluate(_SETTLE)
        page.screenshot(path=directory / f"{file_name(name)}-phone.png", full_page=True)
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    finally:
        if before:
            page.set_viewport_size(before)
            page.evaluate(_SETTLE)
    scroll_width, inner_width = widths
    if scroll_width > inner_width:
        return [f"scrolls sideways at {PHONE['width']} pixels: the page is {scroll_width} pixels wide"]
    return []
