#!/bin/sh
# After removing the .deb: the `custodian` command and the udev rules the install put in place.
set -e
if [ -L /usr/bin/custodian ] && [ "$(readlink /usr/bin/custodian)" = "/opt/${sanitizedProductName}/resources/bin/custodian" ]; then
  rm -f /usr/bin/custodian
fi
rm -f /lib/udev/rules.d/70-custodian-hsm.rules
