#!/bin/bash
# Installs lockerd as a systemd service from this built source tree.
# Idempotent: run it again to upgrade (it backs up the data dir first).
#
#   sudo scripts/install.sh [--dry-run] [--prefix DIR] [--kiosk-user USER] [--no-start]
#
#   --dry-run          run no system command (useradd, npm, systemctl, udevadm, chown);
#                      print each one instead. Files are written only under --prefix.
#   --prefix DIR       stage everything under DIR (DIR/opt/lockerd, DIR/etc/...);
#                      system commands are then only printed, as with --dry-run.
#   --kiosk-user USER  also start the kiosk browser full screen when USER's desktop starts.
#   --no-start         install and enable, but do not (re)start the service.
set -euo pipefail

SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PREFIX=""
DRY_RUN=0
KIOSK_USER=""
START=1

usage() { sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=1 ;;
    --prefix) PREFIX="${2:?--prefix needs a directory}"; shift ;;
    --prefix=*) PREFIX="${1#--prefix=}" ;;
    --kiosk-user) KIOSK_USER="${2:?--kiosk-user needs a user name}"; shift ;;
    --no-start) START=0 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
PREFIX="${PREFIX%/}"
[ -n "$PREFIX" ] && PREFIX="$(mkdir -p "$PREFIX" && cd "$PREFIX" && pwd)"
LIVE=1
if [ "$DRY_RUN" = 1 ] || [ -n "$PREFIX" ]; then LIVE=0; fi
if [ "$DRY_RUN" = 1 ] && [ -z "$PREFIX" ]; then WRITE=0; else WRITE=1; fi

APP=/opt/lockerd
ETC=/etc/lockerd
DATA=/var/lib/lockerd
UNIT=/etc/systemd/system/lockerd.service
UDEV=/etc/udev/rules.d/99-lockerd.rules

say() { printf '%s\n' "$*"; }
# A command that changes the system: run it live, print it otherwise.
run() {
  if [ "$LIVE" = 1 ]; then say "+ $*"; "$@"; else say "would run: $*"; fi
}
# File operations go to $PREFIX$path; skipped (printed) on a dry run without prefix.
put() { # put SRC DEST MODE
  if [ "$WRITE" = 1 ]; then install -D -m "$3" "$1" "$PREFIX$2"; say "installed $2"; else say "would install $1 -> $2 (mode $3)"; fi
}

[ "$LIVE" = 1 ] && [ "$(id -u)" != 0 ] && { echo "install.sh: run as root (sudo), or try --dry-run" >&2; exit 2; }
[ -f "$SRC/dist/lockerd/main.js" ] || { echo "install.sh: $SRC/dist is missing; run 'npm ci && npm run build' first" >&2; exit 2; }
[ -f "$SRC/dist/src/http/public/kiosk.html" ] || { echo "install.sh: $SRC/dist has no page files (dist/src/http/public); run 'npm run build' first" >&2; exit 2; }
[ -f "$SRC/package-lock.json" ] || { echo "install.sh: $SRC/package-lock.json is missing (npm ci needs it)" >&2; exit 2; }
NODE="$(command -v node || true)"
[ -n "$NODE" ] || { echo "install.sh: node is not installed (Node 20 or later is needed)" >&2; exit 2; }
if [ "$LIVE" = 1 ]; then
  major="$("$NODE" -p 'process.versions.node.split(".")[0]')"
  [ "$major" -ge 20 ] || { echo "install.sh: node $("$NODE" -v) is too old; install Node 20 or later" >&2; exit 2; }
fi

say "== lockerd install from $SRC${PREFIX:+ into $PREFIX}$([ "$DRY_RUN" = 1 ] && echo ' (dry run)')"

# 1. service user: its own group, plus dialout for the serial device
if [ "$LIVE" = 1 ] && id lockerd >/dev/null 2>&1; then
  say "user lockerd exists"
  run usermod -a -G dialout lockerd
else
  run useradd --system --user-group --groups dialout --home-dir "$DATA" --no-create-home --shell /usr/sbin/nologin lockerd
fi

# 2. upgrade: stop the service and back up the data dir before new code (and its migrations) run
UPGRADE=0
if [ -f "$PREFIX$APP/package.json" ]; then
  UPGRADE=1
  old="$(sed -n 's/^ *"version": *"\(.*\)".*/\1/p' "$PREFIX$APP/package.json" | head -1)"
  backup="/var/backups/lockerd/$(date -u +%Y%m%dT%H%M%SZ)-v${old:-unknown}"
  say "upgrading from version ${old:-unknown}; data backup to $backup"
  run systemctl stop lockerd
  if [ "$LIVE" = 1 ] && [ -d "$DATA" ]; then
    mkdir -p "$(dirname "$backup")" && cp -a "$DATA" "$backup" && say "backed up $DATA to $backup"
  else
    say "would copy $DATA to $backup"
  fi
fi

# 3. the program: built JS (with the page files npm run build copies into dist/src/http/public),
#    package files, config docs and hardware notes; then production dependencies
if [ "$WRITE" = 1 ]; then
  mkdir -p "$PREFIX$APP"
  rm -rf "$PREFIX$APP/dist" "$PREFIX$APP/config" "$PREFIX$APP/hardware"
  cp -a "$SRC/dist" "$SRC/config" "$SRC/package.json" "$SRC/package-lock.json" "$PREFIX$APP/"
  [ -d "$SRC/hardware" ] && cp -a "$SRC/hardware" "$PREFIX$APP/"
  [ -f "$SRC/README.md" ] && cp -a "$SRC/README.md" "$PREFIX$APP/"
  # No src/: the pages and voice clips are in dist/src/http/public (npm run build copies them); drop one an older install left.
  rm -rf "$PREFIX$APP/src"
  say "installed $APP (dist with its pages and voice clips, config, hardware, package.json)"
else
  say "would copy dist (with its pages and voice clips), config, hardware, package.json, package-lock.json to $APP"
fi
run npm ci --omit=dev --no-audit --no-fund --prefix "$APP"
run chown -R root:root "$APP"

# 4. lockerctl on PATH
if [ "$WRITE" = 1 ]; then
  mkdir -p "$PREFIX/usr/local/bin"
  cat >"$PREFIX/usr/local/bin/lockerctl" <<WRAPPER
#!/bin/sh
# lockerctl for the installed service: its admin socket and config unless told otherwise.
: "\${LOCKERD_ADMIN_SOCKET:=/run/lockerd/admin.sock}"
: "\${LOCKERD_CONFIG:=$ETC/config.json}"
export LOCKERD_ADMIN_SOCKET LOCKERD_CONFIG
exec $NODE $APP/dist/src/cli/lockerctl.js "\$@"
WRAPPER
  chmod 0755 "$PREFIX/usr/local/bin/lockerctl"
  say "installed /usr/local/bin/lockerctl"
else
  say "would install /usr/local/bin/lockerctl"
fi

# 5. config: never overwrite the site's file
if [ -e "$PREFIX$ETC/config.json" ]; then
  say "kept $ETC/config.json"
else
  put "$SRC/config/raspberry-pi.example.json" "$ETC/config.json" 0640
  say "EDIT $ETC/config.json for this locker (lockerId, transport, boards, compartments, broker)"
fi
run chown root:lockerd "$ETC" "$ETC/config.json"

# 6. udev rule: a stable /dev/lockerboard for the board's USB adapter
if [ -f "$SRC/hardware/99-lockerd.rules" ]; then
  put "$SRC/hardware/99-lockerd.rules" "$UDEV" 0644
  run udevadm control --reload-rules
  run udevadm trigger --subsystem-match=tty
else
  say "WARNING: $SRC/hardware/99-lockerd.rules not found; no udev rule installed (use /dev/serial/by-id/... in the config)"
fi

# 7. systemd unit, with this machine's node
if [ "$WRITE" = 1 ]; then
  mkdir -p "$(dirname "$PREFIX$UNIT")"
  sed "s|^ExecStart=/usr/bin/node |ExecStart=$NODE |" "$SRC/config/systemd/lockerd.service" >"$PREFIX$UNIT"
  chmod 0644 "$PREFIX$UNIT"
  say "installed $UNIT"
else
  say "would install $UNIT"
fi
run systemctl daemon-reload
run systemctl enable lockerd

# 8. kiosk browser at the desktop user's login
if [ -n "$KIOSK_USER" ]; then
  home="/home/$KIOSK_USER"
  if [ "$LIVE" = 1 ]; then home="$(getent passwd "$KIOSK_USER" | cut -d: -f6)"; fi
  [ -n "$home" ] || { echo "install.sh: no user $KIOSK_USER" >&2; exit 2; }
  put "$SRC/config/kiosk/lockerd-kiosk.desktop" "$home/.config/autostart/lockerd-kiosk.desktop" 0644
  run chown -R "$KIOSK_USER:" "$home/.config/autostart"
  run usermod -a -G lockerd "$KIOSK_USER"
fi

# 9. start only with a valid config: a daemon that cannot start would just restart-loop
if [ "$START" = 1 ]; then
  if [ "$LIVE" = 1 ]; then
    # as the service user: the TLS files must be readable by it, not just by root
    if runuser -u lockerd -- "$NODE" "$APP/dist/src/cli/lockerctl.js" config check --config "$ETC/config.json"; then
      run systemctl restart lockerd
      say "lockerd started: systemctl status lockerd; journalctl -u lockerd -f"
    else
      say "NOT started: fix $ETC/config.json (problems above), then: sudo systemctl restart lockerd"
    fi
  else
    say "would run: lockerctl config check --config $ETC/config.json"
    run systemctl restart lockerd
  fi
fi
[ "$UPGRADE" = 1 ] && say "upgrade done; migrations ran (or will run) at the first start"
say "== done"
