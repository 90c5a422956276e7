#!/bin/sh
# After installing the .deb (electron-builder fills in the ${...} names): what its default script does — the
# chrome-sandbox permissions — plus the `custodian` command on the PATH and the udev rules for YubiHSM 2 and Nitrokey.
# The app itself is started from its desktop entry (/opt/${sanitizedProductName}/${executable}).
set -e
APP="/opt/${sanitizedProductName}"

# The CLI: /usr/bin/custodian runs resources/bin/custodian (the CLI bundle under the app's Electron in Node mode).
chmod 0755 "$APP/resources/bin/custodian"
ln -sf "$APP/resources/bin/custodian" /usr/bin/custodian

# Electron's sandbox helper: setuid only where unprivileged user namespaces do not work.
if [ -L /proc/self/ns/user ] && unshare --user true 2>/dev/null; then
  chmod 0755 "$APP/chrome-sandbox" || true
else
  chmod 4755 "$APP/chrome-sandbox" || true
fi

if command -v update-desktop-database >/dev/null 2>&1; then
  update-desktop-database /usr/share/applications || true
fi

RULES="$APP/resources/udev/70-custodian-hsm.rules"
if [ -f "$RULES" ] && [ -d /lib/udev/rules.d ]; then
  cp "$RULES" /lib/udev/rules.d/70-custodian-hsm.rules
  udevadm control --reload-rules 2>/dev/null || true
  udevadm trigger 2>/dev/null || true
fi
