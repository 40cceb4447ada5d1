#!/bin/bash
# Runs after the deb/rpm is installed. It replaces electron-builder's own after-install script, so it
# also does that script's work: the /usr/bin link, the chrome-sandbox mode and the AppArmor profile.
# Shell variables are written $NAME (never with braces): electron-builder fills in ${...} macros.
set -e
APP_DIR='/opt/${sanitizedProductName}'
EXE='${executable}'

# The command on PATH, through update-alternatives where the system has it.
if type update-alternatives >/dev/null 2>&1; then
  update-alternatives --install "/usr/bin/$EXE" "$EXE" "$APP_DIR/$EXE" 100 || ln -sf "$APP_DIR/$EXE" "/usr/bin/$EXE"
else
  ln -sf "$APP_DIR/$EXE" "/usr/bin/$EXE"
fi

# Chromium sandboxes renderers with unprivileged user namespaces. Only where the kernel does not
# offer them does the setuid-root helper take over; a setuid binary is not installed otherwise.
if [ -f "$APP_DIR/chrome-sandbox" ]; then
  if [ -L /proc/self/ns/user ] && unshare --user true 2>/dev/null; then
    chmod 0755 "$APP_DIR/chrome-sandbox" || true
  else
    chmod 4755 "$APP_DIR/chrome-sandbox" || true
  fi
fi

# AppArmor (Ubuntu 24.04+ restricts user namespaces to profiled programs): install electron-builder's
# profile when this AppArmor can parse it; older versions run the app fine without it.
PROFILE_SRC="$APP_DIR/resources/apparmor-profile"
PROFILE_DST="/etc/apparmor.d/$EXE"
if [ -f "$PROFILE_SRC" ] && apparmor_status --enabled >/dev/null 2>&1; then
  if apparmor_parser --skip-kernel-load --debug "$PROFILE_SRC" >/dev/null 2>&1; then
    cp -f "$PROFILE_SRC" "$PROFILE_DST"
    if ! { [ -x /usr/bin/ischroot ] && /usr/bin/ischroot; }; then
      apparmor_parser --replace --write-cache --skip-read-cache "$PROFILE_DST" || true
    fi
  fi
fi

# Serial access: the udev rule lets the seated user open da Vinci printers and the Marlin boards
# Printdeck discovers (CH340, FTDI, Arduino Mega, STM32, Prusa) without dialout. Versions before it
# covered Marlin shipped it as 60-printdeck-xyz.rules; an upgrade replaces that file.
RULE_SRC="$APP_DIR/resources/linux/60-printdeck-serial.rules"
if [ -f "$RULE_SRC" ] && [ -d /etc/udev/rules.d ]; then
  rm -f /etc/udev/rules.d/60-printdeck-xyz.rules
  cp "$RULE_SRC" /etc/udev/rules.d/60-printdeck-serial.rules
  udevadm control --reload-rules 2>/dev/null || true
  udevadm trigger --subsystem-match=tty 2>/dev/null || true
fi

if hash update-desktop-database 2>/dev/null; then update-desktop-database /usr/share/applications || true; fi
