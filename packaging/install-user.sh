#!/usr/bin/env bash
# Install the bundle built by packaging/build.sh for the current user, no root needed:
#   the app        ~/.local/opt/newsdesk/         (a copy of dist/newsdesk)
#   the command    ~/.local/bin/newsdesk          (a link into it)
#   the menu entry ~/.local/share/applications/org.newsdesk.Newsdesk.desktop
#   the icons      ~/.local/share/icons/hicolor/*/apps/org.newsdesk.Newsdesk.{png,svg}
#   the metainfo   ~/.local/share/metainfo/org.newsdesk.Newsdesk.metainfo.xml
# `packaging/install-user.sh --uninstall` removes exactly these again; the database,
# settings and backups are never touched. DIST=path picks another build.
set -euo pipefail
cd "$(dirname "$0")/.."
APP_ID=org.newsdesk.Newsdesk
dist=${DIST:-dist/newsdesk}
data=${XDG_DATA_HOME:-$HOME/.local/share}
opt=$HOME/.local/opt/newsdesk
bin=$HOME/.local/bin

uninstall() {
    rm -rf "$opt"
    if [ -L "$bin/newsdesk" ]; then rm -f "$bin/newsdesk"; fi
    rm -f "$data/applications/$APP_ID.desktop" "$data/metainfo/$APP_ID.metainfo.xml"
    find "$data/icons/hicolor" -name "$APP_ID.*" -delete 2>/dev/null || true
}

refresh_caches() {
    # Menus pick the entry up without these too, only later; they are not everywhere.
    if command -v update-desktop-database >/dev/null; then
        update-desktop-database -q "$data/applications" || true
    fi
    if command -v gtk-update-icon-cache >/dev/null; then
        gtk-update-icon-cache -q -t -f "$data/icons/hicolor" 2>/dev/null || true
    fi
}

if [ "${1:-}" = "--uninstall" ]; then
    uninstall
    refresh_caches
    echo "Removed Newsdesk from $opt and $data (your stories are where they were)."
    exit 0
fi

if [ ! -x "$dist/newsdesk" ] || [ ! -d "$dist/share" ]; then
    echo "install-user.sh: no build in $dist; run packaging/build.sh first" >&2
    exit 2
fi

uninstall
mkdir -p "$opt" "$bin" "$data/applications" "$data/metainfo" "$data/icons"
cp -a "$dist/." "$opt/"
if [ -e "$bin/newsdesk" ] && [ ! -L "$bin/newsdesk" ]; then
    echo "note: $bin/newsdesk is another install (pip --user?); left as it is" >&2
else
    ln -sfn "$opt/newsdesk" "$bin/newsdesk"
fi
cp -a "$dist/share/icons/hicolor" "$data/icons/"
install -m644 "$dist/share/metainfo/$APP_ID.metainfo.xml" "$data/metainfo/"
# The menu must find the app even when ~/.local/bin is not on the session's PATH.
sed -e "s|^Exec=newsdesk|Exec=$opt/newsdesk|" -e "s|^TryExec=newsdesk|TryExec=$opt/newsdesk|" \
    "$dist/share/applications/$APP_ID.desktop" >"$data/applications/$APP_ID.desktop"
chmod 644 "$data/applications/$APP_ID.desktop"
refresh_caches
echo "Installed Newsdesk $("$opt/newsdesk" --version | cut -d' ' -f2) in $opt"
echo "Menu entry: $data/applications/$APP_ID.desktop; command: $bin/newsdesk"
