#!/bin/bash
# Runs after the deb/rpm is removed: undoes after-install.sh (link, AppArmor profile, udev rule).
# Shell variables are written $NAME (never with braces): electron-builder fills in ${...} macros.
APP_DIR='/opt/${sanitizedProductName}'
EXE='${executable}'

# On upgrade the new package's after-install runs next and puts everything back; deb passes
# "upgrade", rpm passes the number of versions left installed (1 on upgrade).
case "$1" in upgrade | 1) exit 0 ;; esac

if type update-alternatives >/dev/null 2>&1; then
  update-alternatives --remove "$EXE" "$APP_DIR/$EXE" || true
else
  rm -f "/usr/bin/$EXE"
fi

PROFILE_DST="/etc/apparmor.d/$EXE"
if [ -f "$PROFILE_DST" ]; then
  if apparmor_status --enabled >/dev/null 2>&1 && ! { [ -x /usr/bin/ischroot ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
    apparmor_parser --remove "$PROFILE_DST" || true
  fi
  rm -f "$PROFILE_DST"
fi

# 60-printdeck-xyz.rules is the name older versions installed the rule under.
if [ -f /etc/udev/rules.d/60-printdeck-serial.rules ] || [ -f /etc/udev/rules.d/60-printdeck-xyz.rules ]; then
  rm -f /etc/udev/rules.d/60-printdeck-serial.rules /etc/udev/rules.d/60-printdeck-xyz.rules
  udevadm control --reload-rules 2>/dev/null || true
fi
exit 0
