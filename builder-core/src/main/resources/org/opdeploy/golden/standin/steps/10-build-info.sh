#!/bin/sh
# Stand-in provisioning step: runs inside the golden (nspawn or chroot) and records
# which version the tree is being built as, so two builds differ a little.
set -eu
mkdir -p /etc/op-dbus /var/lib/op-dbus
chmod 0750 /var/lib/op-dbus
printf 'version=%s\n' "${OPDEPLOY_VERSION:-unversioned}" > /etc/op-dbus/build-info
# Seeded once: a refresh must not reset state the tree already carries.
[ -e /etc/op-dbus/state.json ] || printf '{"format":1,"services":{}}\n' > /etc/op-dbus/state.json
echo "stand-in build-info: version=${OPDEPLOY_VERSION:-unversioned}"
