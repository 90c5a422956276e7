#!/bin/sh
# Installs the udev rules shipped with Custodian so the console user can reach YubiHSM 2 and Nitrokey devices.
set -e
RULES="/opt/Custodian/resources/udev/70-custodian-hsm.rules"
if [ -f "$RULES" ] && [ -d /lib/udev/rules.d ]; then
  cp "$RULES" /lib/udev/rules.d/70-custodian-hsm.rules
  udevadm control --reload-rules 2>/dev/null || true
  udevadm trigger 2>/dev/null || true
fi
