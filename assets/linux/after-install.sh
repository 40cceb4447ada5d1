#!/bin/sh
# Installs the da Vinci udev rule shipped with Printdeck and reloads udev.
set -e
RULE_SRC="/opt/Printdeck/resources/linux/60-printdeck-xyz.rules"
if [ -f "$RULE_SRC" ] && [ -d /etc/udev/rules.d ]; then
  cp "$RULE_SRC" /etc/udev/rules.d/60-printdeck-xyz.rules
  udevadm control --reload-rules 2>/dev/null || true
  udevadm trigger --subsystem-match=tty 2>/dev/null || true
fi
# Keep Chromium's setuid sandbox helper usable.
if [ -f /opt/Printdeck/chrome-sandbox ]; then chmod 4755 /opt/Printdeck/chrome-sandbox; fi
