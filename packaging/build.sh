#!/usr/bin/env bash
# Build the Linux one-folder bundle of Newsdesk into dist/newsdesk and smoke-test it.
# Needs: python3 (>= 3.11) with venv, desktop-file-validate, appstreamcli.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
APP_ID=org.newsdesk.Newsdesk
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}

echo "== validating the desktop entry and the AppStream metainfo"
desktop-file-validate "packaging/$APP_ID.desktop"
appstreamcli validate --no-net "packaging/$APP_ID.metainfo.xml"

echo "== installing Newsdesk and PyInstaller into build/venv"
# setuptools builds in build/lib and never prunes it: a module deleted from the source
# would otherwise live on in the wheel.
rm -rf build/lib build/bdist.*
"$PYTHON" -m venv build/venv
build/venv/bin/pip install -q --upgrade . "pyinstaller>=6.0,<7"

echo "== checking the installed package on its own, away from the source tree"
venv=$PWD/build/venv
check_dir=$(mktemp -d)
(
    cd "$check_dir"
    export NEWSDESK_DB="$check_dir/check.db" NEWSDESK_CONFIG_DIR="$check_dir/config"
    "$venv/bin/python" -c 'import newsdesk; print("newsdesk from", newsdesk.__file__)' \
        | grep site-packages
    "$venv/bin/newsdesk" --self-test
    "$venv/bin/newsdesk" list
)
rm -rf "$check_dir"

echo "== building the bundle"
build/venv/bin/pyinstaller --noconfirm --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/newsdesk.spec

echo "== adding the icon set, desktop entry and metainfo"
share=dist/newsdesk/share
build/venv/bin/python packaging/make_icons.py resources/icons/newsdesk.svg "$share/icons" >/dev/null
install -Dm644 "packaging/$APP_ID.desktop" "$share/applications/$APP_ID.desktop"
install -Dm644 "packaging/$APP_ID.metainfo.xml" "$share/metainfo/$APP_ID.metainfo.xml"

echo "== smoke test of the built app"
dist/newsdesk/newsdesk --version
dist/newsdesk/newsdesk --self-test
echo "== built dist/newsdesk ($(du -sh dist/newsdesk | cut -f1)) in ${SECONDS} s"
