#!/bin/sh
# Lays out op-dbus's state folder and records which version this tree was built as.
set -eu
install -d -m 0750 -o root -g root /var/lib/op-dbus
# Read by op-dbus --version and by support: which opdeploy release this tree is.
printf 'version=%s\n' "${OPDEPLOY_VERSION:-unversioned}" > /etc/op-dbus/build-info
/usr/local/bin/op-dbus --version
