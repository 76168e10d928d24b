#!/bin/sh
# Installs what op-dbus needs at run time and brings the golden up to date with Debian's
# security fixes. Runs on every refresh: already-installed packages cost only an index update.
set -eu
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8

# Packages' maintainer scripts must not try to start services inside the build container.
cat > /usr/sbin/policy-rc.d <<'POLICY'
#!/bin/sh
exit 101
POLICY
chmod 0755 /usr/sbin/policy-rc.d
trap 'rm -f /usr/sbin/policy-rc.d' EXIT

apt-get update
apt-get -y -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold upgrade
# dbus: the system bus op-dbus serves on; systemd: the units it manages over D-Bus;
# libssl3 + ca-certificates: TLS for its HTTPS clients; iproute2: network state it reports.
apt-get -y install --no-install-recommends \
  dbus ca-certificates libssl3 systemd iproute2
