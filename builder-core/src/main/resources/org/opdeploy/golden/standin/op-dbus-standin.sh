#!/bin/sh
# STAND-IN for op-dbus, the Rust D-Bus daemon, used by opdeploy's tests and demo.
# It answers the three calls opdeploy makes: --version (checks), query (health), run (service).
set -u
# "/" inside the golden; the deployment's mount point when run from a target host.
root=$(cd "$(dirname "$0")/../../.." && pwd)
version=$(sed -n 's/^version=//p' "$root/etc/op-dbus/build-info" 2>/dev/null)
version=${version:-unversioned}
case "${1:-}" in
  --version)
    echo "op-dbus $version (stand-in)"
    ;;
  query)
    if [ ! -r "$root/etc/op-dbus/config.toml" ]; then
      echo '{"status":"broken","reason":"/etc/op-dbus/config.toml is missing"}'
      exit 1
    fi
    echo "{\"status\":\"ok\",\"version\":\"$version\",\"standin\":true}"
    ;;
  run)
    echo "op-dbus $version (stand-in) running"
    # Like op-dbus: read the desired state, keep data in /var/lib/op-dbus; report who and what it
    # runs as, so tests can check the service's confinement.
    if [ -d /var/lib/op-dbus ] && [ -w /var/lib/op-dbus ]; then
      {
        echo "version=$version"
        echo "id=$(id)"
        grep '^Cap' /proc/self/status
        echo "state=$(cat /etc/op-dbus/state.json 2>/dev/null | tr -d '\n')"
      } > /var/lib/op-dbus/standin-report
      echo "$version" >> /var/lib/op-dbus/runs
    fi
    trap 'exit 0' TERM INT
    while :; do sleep 3600 & wait $!; done
    ;;
  *)
    echo "usage: op-dbus --version | query | run" >&2
    exit 2
    ;;
esac
