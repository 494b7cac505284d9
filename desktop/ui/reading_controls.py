"""The reader's controls around the window: appearance (theme, typography, zoom), the contents pane,
back and forward, next and previous article, moving between panes, and the View, Go and Help menus.
The window makes one of these after its own actions and keeps only the wiring."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QToolBar, QWidget

from desktop.core.model import Article, RenderedArticle
from desktop.library import Library
from desktop.store.database import database_path
from desktop.ui.appearance import Appearance
from desktop.ui.corpus_model import RELPATH_ROLE
from desktop.ui.focus_cycle import FocusCycle
from desktop.ui.help_dialogs import AboutDialog, ShortcutsDialog, data_places, shortcut_rows
from desktop.ui.menus import add_go_menu, add_help_menu, add_view_menu, command, pane_action
from desktop.ui.navigation import Navigator, neighbour_article
from desktop.ui.preferences_dialog import PreferencesDialog

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

__all__ = ["ReadingControls"]


class ReadingControls(QObject):
    def __init__(self, window: MainWindow, toolbar: QToolBar) -> None:
        super().__init__(window)
        self._window = window
        view = window.article_view
        self.appearance = Appearance(window.settings, window)
        self.navigator = Navigator(view, lambda relpath, position: window.open_article(relpath, position,
                                                                                       record=False), window)
        self.focus_cycle = FocusCycle(self._panes, window)
        self.next_article_action = command("&Next Article", lambda: self.step_article(1), window,
                                           ["Ctrl+PgDown"])
        self.previous_article_action = command("&Previous Article", lambda: self.step_article(-1), window,
                                               ["Ctrl+PgUp"])
        self.top_action = self._reader_command("Go to &Top", view.browser.verticalScrollBar().minimum, "Ctrl+Home")
        self.bottom_action = self._reader_command("Go to &Bottom", view.browser.verticalScrollBar().maximum,
                                                  "Ctrl+End")
        self.preferences_action = command("Reading &Preferences…", self.show_preferences, window, ["Ctrl+,"])
        settings = window.settings
        self.pane_actions = [
            pane_action("&Articles Tree", window.left, settings, "view/show_tree", window),
            pane_action("&Contents", window.contents, settings, "view/show_contents", window),
            pane_action("&Notes Panel", window.side_panel, settings, "view/show_side_panel", window),
        ]
        menu_bar = window.menuBar()
        self.view_menu = add_view_menu(menu_bar, self.appearance, self.preferences_action, self.pane_actions)
        add_go_menu(menu_bar, [
            [self.navigator.back_action, self.navigator.forward_action],
            [self.previous_article_action, self.next_article_action],
            [self.top_action, self.bottom_action],
            [self.focus_cycle.next_action, self.focus_cycle.previous_action],
        ])
        add_help_menu(menu_bar, command("&Keyboard Shortcuts", self.show_shortcuts, window, ["F1"]),
                      command("&About Lectern", self.show_about, window))
        toolbar.insertActions(toolbar.actions()[0],  # before Open Folder
                              [self.navigator.back_action, self.navigator.forward_action])
        self._connect()

    def _reader_command(self, text: str, end: object, key: str) -> QAction:
        """An action on the reader alone (Ctrl+Home in the tree still goes to its first row)."""
        view = self._window.article_view
        bar = view.browser.verticalScrollBar()
        action = command(text, lambda: bar.setValue(end()), view, [key])  # type: ignore[operator]
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        view.addAction(action)
        return action

    def _connect(self) -> None:
        window = self._window
        view, contents = window.article_view, window.contents
        self.appearance.changed.connect(self.restyle)
        view.browser.zoom_requested.connect(self.appearance.zoom)
        view.document_shown.connect(lambda: contents.show_headings(view.browser.document(), view.headings()))
        bar = view.browser.verticalScrollBar()
        bar.valueChanged.connect(contents.follow)
        bar.rangeChanged.connect(lambda: contents.follow(bar.value()))  # more of the article is laid out
        contents.heading_chosen.connect(view.jump_to_view_position)
        for widget in (view.browser, view.browser.viewport(), window.tree.viewport(), contents.viewport(),
                       window.side_panel.list.viewport()):
            widget.installEventFilter(self.navigator.buttons)
        self.appearance.apply()

    def restyle(self) -> None:
        """The theme or typography changed: lay the article out again from memory, where it was. New
        code colours need the article rendered again: on a worker (a long article takes up to a
        second), then shown in place."""
        window = self._window
        theme, typography = self.appearance.theme, self.appearance.typography
        window.article_view.set_style(theme, typography)
        library, opened = window.library, window.opened
        if library is None:
            return
        library.code_palette = theme.name
        if opened is None or not opened.rendered.html:
            return
        cached = library.cached_rendering(opened.article)
        if cached is opened.rendered:
            return
        if cached is not None:
            window.article_view.set_style(theme, typography, library.with_rendering(opened, cached, theme.name))
            return
        article, palette = opened.article, theme.name
        window.tasks.start(lambda: library.render_in(article, palette),
                           finished=lambda rendered: self._rendered(library, article, palette, rendered))

    def _rendered(self, library: Library, article: Article, palette: str, rendered: RenderedArticle) -> None:
        window = self._window
        opened = window.opened
        if library is window.library and library.code_palette == palette and opened is not None \
                and opened.article is article:  # else the reader has moved on
            window.article_view.set_style(self.appearance.theme, self.appearance.typography,
                                          library.with_rendering(opened, rendered, palette))

    def _panes(self) -> list[QWidget]:
        window = self._window
        left = window.left.currentWidget()
        tree: QWidget = window.tree if left is not window.search_pane else window.search_pane
        return [tree, window.contents, window.article_view.browser, window.side_panel.list]

    def step_article(self, step: int) -> None:
        """Open the next (+1) or previous (-1) article of the tree's current group."""
        tree = self._window.tree
        index = neighbour_article(tree, RELPATH_ROLE, step)
        if index.isValid():
            tree.setCurrentIndex(index)
            tree.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        else:
            self._window.statusBar().showMessage("No more articles this way in this group.", 4000)

    def show_preferences(self) -> None:
        PreferencesDialog(self.appearance, self._window).exec()

    def show_shortcuts(self) -> None:
        ShortcutsDialog(shortcut_rows(self._window.menuBar(), self._window), self._window).exec()

    def show_about(self) -> None:
        database = database_path(self._window.store.db)
        AboutDialog(data_places(database), database.parent, self._window).exec()

