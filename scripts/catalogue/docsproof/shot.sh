#!/bin/sh
# shot.sh PAGE.html OUT.png HEIGHT: a 1280-wide headless Chromium screenshot of a local rustdoc page.
set -eu
profile=$(mktemp -d)
nice chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$profile" --hide-scrollbars \
  --window-size=1280,"$3" --screenshot="$2" "file://$1" 2>/dev/null
rm -rf "$profile"
