#!/bin/sh
# Leaves nothing in the golden that would bloat every release stream or make two builds of the
# same inputs differ: apt caches and indexes, logs, and the machine identity.
set -eu
apt-get clean
rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/debconf/*-old /var/lib/dpkg/*-old
find /var/log -type f -exec truncate -s 0 {} +
# Every machine that deploys this tree must get its own machine-id on first boot.
: > /etc/machine-id
rm -f /var/lib/dbus/machine-id
