#!/bin/sh
# Stand-in provisioning step: runs inside the golden (nspawn or chroot) and records
# which version the tree is being built as, so two builds differ a little.
set -eu
mkdir -p /etc/op-dbus /var/lib/op-dbus
chmod 0750 /var/lib/op-dbus
printf 'version=%s\n' "${OPDEPLOY_VERSION:-unversioned}" > /etc/op-dbus/build-info
# Seeded once: a refresh must not reset state the tree already carries.
[ -e /etc/op-dbus/state.json ] || printf '{"format":1,"services":{}}\n' > /etc/op-dbus/state.json
# The service account the spec names: a system user of the golden, as a real step would create it.
grep -q '^opdbus:' /etc/passwd || echo 'opdbus:x:990:990:op-dbus stand-in:/nonexistent:/bin/false' >> /etc/passwd
grep -q '^opdbus:' /etc/group || echo 'opdbus:x:990:' >> /etc/group
echo "stand-in build-info: version=${OPDEPLOY_VERSION:-unversioned}"
