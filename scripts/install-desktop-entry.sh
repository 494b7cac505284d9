#!/bin/sh
# Put Lectern in your desktop's application menu (Linux; freedesktop.org menus), for you alone: the
# .desktop file goes to ~/.local/share/applications, the icon to ~/.local/share/icons/hicolor/256x256/apps
# ($XDG_DATA_HOME instead of ~/.local/share when it is set).
#
#   scripts/install-desktop-entry.sh [COMMAND]
#
# The entry also makes Lectern the handler of lectern:// links (the links back from exported notes).
#
# COMMAND is what the menu runs: by default `lectern` on your PATH, else this checkout's
# .venv/bin/lectern, else the bundle dist/Lectern/Lectern. The menu is started without your shell's
# PATH, so the entry names it by its absolute path. To remove the entry, delete the two files.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}

lectern=${1:-}
if [ -z "$lectern" ]; then
    for candidate in "$(command -v lectern || true)" "$here/.venv/bin/lectern" "$here/dist/Lectern/Lectern"; do
        if [ -n "$candidate" ] && [ -x "$candidate" ]; then
            lectern=$candidate
            break
        fi
    done
fi
if [ -z "$lectern" ] || [ ! -x "$lectern" ]; then
    echo "install-desktop-entry: no lectern command found${lectern:+ at $lectern}; give its path" >&2
    exit 2
fi
lectern=$(cd "$(dirname "$lectern")" && pwd)/$(basename "$lectern")
case $lectern in
    *[\"\`\$\\%]*)  # the Desktop Entry spec's quoting of these is easy to get wrong: refuse rather than guess
        echo "install-desktop-entry: $lectern: a path with \" \` \$ \\ or % cannot be written safely; move it" >&2
        exit 2 ;;
esac

applications=$data/applications
icons=$data/icons/hicolor/256x256/apps
mkdir -p "$applications" "$icons"
while IFS= read -r line; do
    case $line in
        Exec=*) printf 'Exec="%s" %s\n' "$lectern" "${line##* }" ;;  # the field code (%u) as the entry has it
        *) printf '%s\n' "$line" ;;
    esac
done < "$here/resources/lectern.desktop" > "$applications/lectern.desktop"
cp "$here/resources/lectern.png" "$icons/lectern.png"

# Where the desktop keeps caches of these folders, refresh them so that the menu shows Lectern now
# (and knows it opens lectern:// links).
if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$applications" || true
fi
if command -v xdg-mime >/dev/null 2>&1; then
    xdg-mime default lectern.desktop x-scheme-handler/lectern 2>/dev/null || true
fi
if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$data/icons/hicolor/index.theme" ]; then
    gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
fi
echo "Installed $applications/lectern.desktop (it runs $lectern) and $icons/lectern.png."
