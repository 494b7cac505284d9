"""Reading themes: light, sepia and dark (and "follow the system", which picks light or dark). A theme
colours the whole window (its QPalette and style sheet), the article's document style sheet, the
code colours (by palette name) and the highlight tints (desktop.core.colours)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from string import Template

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette

from desktop.paths import resources_dir

__all__ = ["Theme", "THEMES", "THEME_CHOICES", "resolve_theme", "theme_palette", "window_style_sheet",
           "document_style_sheet"]

# The values of the `view/theme` setting, in the order the View menu offers them.
THEME_CHOICES = {"light": "&Light", "sepia": "&Sepia", "dark": "&Dark", "system": "Follow the &System"}


@dataclass(frozen=True)
class Theme:
    name: str  # also the name of its code palette and of its highlight tints
    text: str
    paper: str  # the article's background
    window: str  # the chrome around it
    panel: str  # tree and lists
    border: str
    rule: str  # faint lines between list rows
    muted: str  # secondary text: dates, placeholders, h6
    accent: str  # tags in the header
    link: str
    code_background: str
    quote: str  # blockquote text
    quote_rule: str
    selected: str  # a chosen row, and selected text
    selected_text: str


THEMES: dict[str, Theme] = {
    "light": Theme("light", text="#1f2328", paper="#ffffff", window="#fafafa", panel="#ffffff",
                   border="#e4e4e7", rule="#f0f0f0", muted="#71717a", accent="#2563eb", link="#1d4ed8",
                   code_background="#f4f4f5", quote="#444444", quote_rule="#d4d4d8", selected="#dbeafe",
                   selected_text="#111827"),
    "sepia": Theme("sepia", text="#433422", paper="#f8f1e3", window="#efe6d2", panel="#f4ecda",
                   border="#dccfb4", rule="#e9dfc8", muted="#8a7a62", accent="#8b4513", link="#8b4513",
                   code_background="#efe4cc", quote="#5b4a36", quote_rule="#cdbb98", selected="#e6d3a8",
                   selected_text="#2b2116"),
    "dark": Theme("dark", text="#d4d4d8", paper="#1e1f22", window="#18191b", panel="#202124",
                  border="#34363a", rule="#2a2c30", muted="#9a9aa3", accent="#7aa7ff", link="#8ab4f8",
                  code_background="#2b2d31", quote="#b4b4bb", quote_rule="#4a4c52", selected="#2f4a6e",
                  selected_text="#f4f4f5"),
}


def resolve_theme(choice: str, scheme: Qt.ColorScheme) -> Theme:
    """The theme a setting means: "system" follows the desktop's light or dark scheme (light when the
    desktop does not say)."""
    if choice == "system":
        return THEMES["dark" if scheme == Qt.ColorScheme.Dark else "light"]
    return THEMES.get(choice, THEMES["light"])


def theme_palette(theme: Theme) -> QPalette:
    """The window's palette: every widget (menus, dialogs, editors) in the theme's colours."""
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: theme.window, QPalette.ColorRole.WindowText: theme.text,
        QPalette.ColorRole.Base: theme.panel, QPalette.ColorRole.AlternateBase: theme.code_background,
        QPalette.ColorRole.Text: theme.text, QPalette.ColorRole.Button: theme.window,
        QPalette.ColorRole.ButtonText: theme.text, QPalette.ColorRole.ToolTipBase: theme.paper,
        QPalette.ColorRole.ToolTipText: theme.text, QPalette.ColorRole.PlaceholderText: theme.muted,
        QPalette.ColorRole.Highlight: theme.selected, QPalette.ColorRole.HighlightedText: theme.selected_text,
        QPalette.ColorRole.Link: theme.link, QPalette.ColorRole.LinkVisited: theme.link,
        QPalette.ColorRole.BrightText: theme.paper, QPalette.ColorRole.Light: theme.paper,
        QPalette.ColorRole.Midlight: theme.border, QPalette.ColorRole.Mid: theme.border,
        QPalette.ColorRole.Dark: theme.muted, QPalette.ColorRole.Shadow: theme.text,
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(theme.muted))
    return palette


def window_style_sheet(theme: Theme) -> str:
    """resources/style.qss with the theme's colours filled in."""
    template = Template((resources_dir() / "style.qss").read_text(encoding="utf-8"))
    return template.substitute(asdict(theme))


def document_style_sheet(theme: Theme, line_spacing: int) -> str:
    """The article's style sheet: the theme's colours for links, code, tables and quotes, and the
    line spacing (a percentage) for running text; code keeps single spacing, also inside a <div>
    (whose line height Qt passes on to the blocks in it). Heading sizes come with the rendered HTML."""
    return f"""
p, div, li, dd, dt, blockquote, td, th {{ line-height: {line_spacing}%; }}
p, li {{ margin-top: 4px; margin-bottom: 8px; }}
h6 {{ color: {theme.muted}; }}
pre {{ background-color: {theme.code_background}; font-family: monospace; line-height: 100%; }}
code {{ background-color: {theme.code_background}; font-family: monospace; }}
blockquote {{ color: {theme.quote}; margin-left: 16px; }}
table {{ border-collapse: collapse; margin: 8px 0; }}
td, th {{ border: 1px solid {theme.quote_rule}; padding: 4px 8px; }}
th {{ background-color: {theme.code_background}; }}
a {{ color: {theme.link}; }}
.image-placeholder {{ color: {theme.muted}; background-color: {theme.code_background}; }}
"""
