# Sourced by bootstrap.sh and tools/emulators/build.sh: apt-get that waits for a lock another apt holds
# (an unattended upgrade, or a second bootstrap on the same machine) instead of failing at once.
# usage: apt_get update -qq | apt_get install -y -qq --no-install-recommends <packages>
apt_get() {
  local out tries=0
  while :; do
    # DPkg::Lock::Timeout covers the dpkg frontend lock; the lists lock of `update` needs the loop.
    if out=$(apt-get -o DPkg::Lock::Timeout=300 "$@" 2>&1); then
      [ -z "$out" ] || echo "$out" >&2
      return 0
    fi
    if ! echo "$out" | grep -q "Could not get lock" || [ "$tries" -ge 60 ]; then
      echo "$out" >&2
      return 1
    fi
    tries=$((tries + 1))
    [ "$tries" -gt 1 ] || echo "apt: another apt-get holds its lock; waiting (up to 5 min)" >&2
    sleep 5
  done
}
