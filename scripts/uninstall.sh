#!/bin/bash
# Removes the lockerd service: stops and disables it, removes the unit, the
# udev rule, the kiosk autostart file and /opt/lockerd. Keeps the data
# (/var/lib/lockerd, /var/backups/lockerd), the config (/etc/lockerd) and the
# lockerd user unless --purge.
#
#   sudo scripts/uninstall.sh [--dry-run] [--prefix DIR] [--kiosk-user USER] [--purge]
#
#   --dry-run          run no system command; print each one instead. Files are removed only under --prefix.
#   --prefix DIR       act on a tree staged under DIR by install.sh --prefix (system commands only printed).
#   --kiosk-user USER  also remove USER's kiosk autostart file.
#   --purge            also delete the data, the backups, the config and the lockerd user. Cases are lost.
set -euo pipefail

PREFIX=""
DRY_RUN=0
KIOSK_USER=""
PURGE=0
usage() { sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=1 ;;
    --prefix) PREFIX="${2:?--prefix needs a directory}"; shift ;;
    --prefix=*) PREFIX="${1#--prefix=}" ;;
    --kiosk-user) KIOSK_USER="${2:?--kiosk-user needs a user name}"; shift ;;
    --purge) PURGE=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "uninstall.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
PREFIX="${PREFIX%/}"
LIVE=1
if [ "$DRY_RUN" = 1 ] || [ -n "$PREFIX" ]; then LIVE=0; fi
if [ "$DRY_RUN" = 1 ] && [ -z "$PREFIX" ]; then WRITE=0; else WRITE=1; fi
[ "$LIVE" = 1 ] && [ "$(id -u)" != 0 ] && { echo "uninstall.sh: run as root (sudo), or try --dry-run" >&2; exit 2; }

say() { printf '%s\n' "$*"; }
run() { if [ "$LIVE" = 1 ]; then say "+ $*"; "$@" || true; else say "would run: $*"; fi; }
remove() {
  for p in "$@"; do
    if [ "$WRITE" = 1 ]; then
      if [ -e "$PREFIX$p" ] || [ -L "$PREFIX$p" ]; then rm -rf -- "$PREFIX$p"; say "removed $p"; fi
    else
      say "would remove $p"
    fi
  done
}

say "== lockerd uninstall${PREFIX:+ in $PREFIX}$([ "$DRY_RUN" = 1 ] && echo ' (dry run)')"
run systemctl disable --now lockerd
remove /etc/systemd/system/lockerd.service
run systemctl daemon-reload
if [ -e "$PREFIX/etc/udev/rules.d/99-lockerd.rules" ] || [ "$WRITE" = 0 ]; then
  remove /etc/udev/rules.d/99-lockerd.rules
  run udevadm control --reload-rules
fi
if [ -n "$KIOSK_USER" ]; then
  home="/home/$KIOSK_USER"
  if [ "$LIVE" = 1 ]; then home="$(getent passwd "$KIOSK_USER" | cut -d: -f6)"; fi
  remove "$home/.config/autostart/lockerd-kiosk.desktop"
fi
remove /usr/local/bin/lockerctl /opt/lockerd

if [ "$PURGE" = 1 ]; then
  remove /var/lib/lockerd /var/backups/lockerd /etc/lockerd
  run userdel lockerd
  say "purged: data, backups, config and the lockerd user are gone"
else
  say "kept /var/lib/lockerd (cases, device secret), /var/backups/lockerd and /etc/lockerd; --purge deletes them"
fi
say "== done"
