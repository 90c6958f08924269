#!/bin/bash
# Starts the kiosk page full screen on the locker's display, once lockerd
# answers. Run from the desktop session (autostart file or user service).
set -u
# The kiosk's own listener (http.kioskPort): the only one that serves the QR and the keypad.
URL="${LOCKERD_KIOSK_URL:-http://127.0.0.1:8088/kiosk}"
HEALTH="${URL%/kiosk}/healthz"
hostport="${URL#*://}"; hostport="${hostport%%/*}"
HOST="${hostport%:*}"; PORT="${hostport##*:}"
[ "$PORT" = "$hostport" ] && PORT=80

browser=""
for candidate in chromium chromium-browser; do
  if command -v "$candidate" >/dev/null 2>&1; then browser="$candidate"; break; fi
done
if [ -z "$browser" ]; then
  echo "lockerd-kiosk: chromium is not installed (sudo apt install chromium)" >&2
  exit 1
fi

# The daemon may still be starting (it waits for the board): wait up to 2 minutes
# so the screen does not show a browser error page.
for _ in $(seq 1 120); do
  if command -v curl >/dev/null 2>&1; then
    curl -fsS -o /dev/null --max-time 2 "$HEALTH" && break
  else
    (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null && break
  fi
  sleep 1
done

# A kiosk that crashed must not greet the next resident with "restore pages?".
prefs="$HOME/.config/$browser/Default/Preferences"
if [ -f "$prefs" ]; then
  sed -i 's/"exited_cleanly":false/"exited_cleanly":true/; s/"exit_type":"Crashed"/"exit_type":"Normal"/' "$prefs"
fi

exec "$browser" --kiosk --noerrdialogs --disable-translate --no-first-run \
  --disable-infobars --disable-session-crashed-bubble --check-for-update-interval=31536000 \
  --ozone-platform-hint=auto --autoplay-policy=no-user-gesture-required \
  "$URL"
