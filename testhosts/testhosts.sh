#!/usr/bin/env bash
# testhosts.sh: real "remote hosts" on this one machine, for the SSH tests.
#
# Each host da-hI is a network namespace with its own address on a private bridge, plus a pid, UTS and
# mount namespace (own hostname, own process table, own /root and /etc/hosts), running a real OpenSSH
# server that is the host's PID 1. /tmp, /etc, /usr and the repository stay shared, so the remote side
# runs the same java and class path. Traffic only ever goes to 10.231.0.0/24 or loopback: the
# namespaces have no default route and the root namespace does not forward.
#
#   testhosts.sh check                    can this machine do it? (root, tools, namespaces); exit 0 if so
#   testhosts.sh up N [STATE_DIR]         (re)creates hosts da-h1..da-hN, prints STATE_DIR last
#   testhosts.sh down [STATE_DIR]         stops every da-h* host, deletes namespaces, links, bridge, state
#   testhosts.sh cut HOST                 host unreachable, connections stay open (its veth goes down)
#   testhosts.sh restore HOST             undoes cut
#   testhosts.sh rekey HOST [STATE_DIR]   new host key (sshd re-executes): known_hosts no longer matches
#   testhosts.sh trust HOST [STATE_DIR]   known_hosts takes the host's current key again
#
# STATE_DIR defaults to $TESTHOSTS_DIR, else /tmp/distarch-testhosts. Run as root. It holds:
#   ssh_config, known_hosts, client_key(.pub), hosts.txt ("name address init-pid" per host) and
#   hosts/da-hI/{root/ (the host's /root), etc-hosts, sshd_config, ssh_host_ed25519_key, sshd.log}.
# Use: ssh -F STATE_DIR/ssh_config da-h2 hostname
#
# Cutting: the host's veth (root side) goes down, so its packets are dropped both ways without any
# RST, FIN or ICMP: established connections stay open on both ends. Measured: an open ssh with
# ServerAliveInterval 1 x ServerAliveCountMax 3 exits (255) 3.1-3.6 s after the cut; a new ssh fails
# after ConnectTimeout (3.0 s, "Connection timed out": ARP entries are static, so never "No route to
# host"). After restore the host answers at once. Processes started over SSH keep running on a cut host
# (no pty, no SIGHUP); the server side only learns of a dead client when its TCP gives up.
set -euo pipefail
export PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin   # ip, sshd: callers (a JVM, cron) may lack the sbin dirs

readonly PREFIX=da-h
readonly BRIDGE=da-br0
readonly NET=10.231.0
readonly BRIDGE_ADDR=$NET.1
readonly MARKER=.distarch-testhosts
readonly SSHD=/usr/sbin/sshd
readonly UP_WAIT_S=20

say() { printf 'testhosts: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

state_dir() { printf '%s' "${1:-${TESTHOSTS_DIR:-/tmp/distarch-testhosts}}"; }
host_index() {
    [[ $1 =~ ^${PREFIX}([0-9]+)$ ]] || die "not a test host name: '$1' (expected ${PREFIX}1, ${PREFIX}2, ...)"
    printf '%s' "$((10#${BASH_REMATCH[1]}))"
}
host_addr() { printf '%s.%s' "$NET" "$((10 + $1))"; }
veth() { printf 'da-v%s' "$1"; }   # root side of host I's veth pair; the namespace side is eth0
host_mac() { printf '02:da:00:00:00:%02x' "$1"; }   # host I's eth0
readonly BRIDGE_MAC=02:da:00:00:01:00
now_ms() { date +%s%3N; }

# ---------------------------------------------------------------------------------------------- check

cmd_check() {
    local ok=1 pkgs=() line
    report() { printf '%-34s %s\n' "$1" "$2"; }
    if [[ $EUID -eq 0 ]]; then report "root" "yes"; else report "root" "NO (run as root)"; ok=0; fi
    local -A want=([ip]=iproute2 [unshare]=util-linux [setsid]=util-linux [mount]=mount
                   [sshd]=openssh-server [ssh]=openssh-client [ssh-keygen]=openssh-client
                   [ssh-keyscan]=openssh-client [ps]=procps)
    local tool path
    for tool in ip unshare setsid mount sshd ssh ssh-keygen ssh-keyscan ps; do
        path=$(command -v "$tool" || true)
        if [[ -n $path ]]; then report "$tool (${want[$tool]})" "$path"
        else report "$tool (${want[$tool]})" "MISSING"; ok=0; pkgs+=("${want[$tool]}"); fi
    done
    if [[ $EUID -eq 0 ]] && command -v unshare >/dev/null && command -v ip >/dev/null; then
        if unshare --net --uts --mount --pid --fork --mount-proc \
                sh -c 'ip link add name da-probe0 type veth peer name da-probe1 && ip link add name da-probe2 type bridge' >/dev/null 2>&1; then
            report "namespaces, veth, bridge" "yes"
        else report "namespaces, veth, bridge" "NO (no CAP_SYS_ADMIN/CAP_NET_ADMIN, or kernel lacks veth/bridge)"; ok=0; fi
        line=$(ip -4 route show "$NET.0/24" 2>/dev/null | grep -v "dev $BRIDGE" || true)
        if [[ -z $line ]]; then report "$NET.0/24 free" "yes"
        else report "$NET.0/24 free" "NO (routed: $line)"; ok=0; fi
    fi
    if [[ ${#pkgs[@]} -gt 0 ]]; then
        printf 'missing Debian packages: %s\n' "$(printf '%s\n' "${pkgs[@]}" | sort -u | tr '\n' ' ')"
    fi
    if [[ $ok -eq 1 ]]; then echo "testhosts: this machine can run test hosts"; return 0; fi
    echo "testhosts: this machine cannot run test hosts"
    return 1
}

# ------------------------------------------------------------------------------------------------- up

write_sshd_config() { # dir addr
    cat >"$1/sshd_config" <<EOF
# Written by testhosts.sh: a real sshd for one test host, key-only root login.
ListenAddress $2:22
HostKey $1/ssh_host_ed25519_key
PidFile none
PermitRootLogin prohibit-password
PubkeyAuthentication yes
AuthorizedKeysFile .ssh/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes yes
LogLevel VERBOSE
PrintMotd no
PrintLastLog no
UseDNS no
X11Forwarding no
AllowAgentForwarding no
Subsystem sftp internal-sftp
# Fan-out tests open many connections at once; the defaults (10:30:100, 10) would drop some.
MaxStartups 100:30:200
MaxSessions 50
EOF
}

write_known_hosts() { # state n
    local i file="$1/known_hosts.new"
    : >"$file"
    for ((i = 1; i <= $2; i++)); do
        printf '%s%s,%s %s\n' "$PREFIX" "$i" "$(host_addr "$i")" \
            "$(cut -d' ' -f1,2 "$1/hosts/$PREFIX$i/ssh_host_ed25519_key.pub")" >>"$file"
    done
    mv "$file" "$1/known_hosts"
}

write_client_config() { # state n
    local i
    {
        echo "# Written by testhosts.sh. Use: ssh -F $1/ssh_config ${PREFIX}1 COMMAND"
        for ((i = 1; i <= $2; i++)); do
            printf 'Host %s%s %s\n    HostName %s\n' "$PREFIX" "$i" "$(host_addr "$i")" "$(host_addr "$i")"
        done
        cat <<EOF
Host $PREFIX* $NET.*
    User root
    Port 22
    IdentityFile $1/client_key
    IdentitiesOnly yes
    UserKnownHostsFile $1/known_hosts
    GlobalKnownHostsFile /dev/null
    StrictHostKeyChecking yes
    UpdateHostKeys no
    CheckHostIP no
    BatchMode yes
    PreferredAuthentications publickey
    PasswordAuthentication no
    KbdInteractiveAuthentication no
    ConnectTimeout 3
    ServerAliveInterval 1
    ServerAliveCountMax 3
    ForwardAgent no
    ForwardX11 no
    ControlMaster no
    ControlPath none
    AddressFamily inet
    LogLevel ERROR
EOF
    } >"$1/ssh_config"
}

disable_ipv6() { # [namespace] iface-or-all...  (link-local IPv6 chatter would leave the test subnet)
    local ns=$1; shift
    [[ -d /proc/sys/net/ipv6 ]] || return 0
    local conf
    for conf in "$@"; do
        if [[ -n $ns ]]; then ip netns exec "$ns" sh -c "echo 1 > /proc/sys/net/ipv6/conf/$conf/disable_ipv6"
        else echo 1 >"/proc/sys/net/ipv6/conf/$conf/disable_ipv6"; fi
    done
}

# Every address on the test network gets a permanent neighbour (ARP) entry everywhere, so that a cut
# behaves the same every time: frames to a cut host are dropped silently and a new connection waits for
# ConnectTimeout, instead of sometimes failing at once with "No route to host" when ARP has given up.
static_neighbours() { # n
    local i j
    for ((i = 1; i <= $1; i++)); do
        ip neigh replace "$(host_addr "$i")" lladdr "$(host_mac "$i")" dev "$BRIDGE" nud permanent
        ip -n "$PREFIX$i" neigh replace "$BRIDGE_ADDR" lladdr "$BRIDGE_MAC" dev eth0 nud permanent
        for ((j = 1; j <= $1; j++)); do
            if ((j != i)); then
                ip -n "$PREFIX$i" neigh replace "$(host_addr "$j")" lladdr "$(host_mac "$j")" dev eth0 nud permanent
            fi
        done
    done
}

# The host-side pid of a network namespace's pid-namespace init (the process that is PID 1 inside).
init_pid_of() { # namespace
    local pid
    for pid in $(ip netns pids "$1" 2>/dev/null); do
        if [[ $(awk '/^NSpid:/ { print $NF }' "/proc/$pid/status" 2>/dev/null) == 1 ]]; then
            printf '%s' "$pid"; return 0
        fi
    done
    return 1
}

start_host() { # state i n
    local state=$1 i=$2 ns=$PREFIX$2 addr dir
    addr=$(host_addr "$i")
    dir=$state/hosts/$ns
    mkdir -p "$dir/root/.ssh"
    chmod 700 "$dir/root" "$dir/root/.ssh"
    cp "$state/client_key.pub" "$dir/root/.ssh/authorized_keys"
    chmod 600 "$dir/root/.ssh/authorized_keys"
    ssh-keygen -q -t ed25519 -N '' -C "$ns" -f "$dir/ssh_host_ed25519_key"
    write_sshd_config "$dir" "$addr"
    {
        printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n'
        printf '%s\t%s\n' "$addr" "$ns" "$BRIDGE_ADDR" "da-master"
        local j
        for ((j = 1; j <= $3; j++)); do
            if [[ $j -ne $i ]]; then printf '%s\t%s%s\n' "$(host_addr "$j")" "$PREFIX" "$j"; fi
        done
    } >"$dir/etc-hosts"

    ip netns add "$ns"
    disable_ipv6 "$ns" all default
    ip link add name "$(veth "$i")" type veth peer name eth0 address "$(host_mac "$i")" netns "$ns"
    disable_ipv6 "" "$(veth "$i")"
    ip link set "$(veth "$i")" master "$BRIDGE" up
    ip -n "$ns" link set lo up
    ip -n "$ns" addr add "$addr/24" dev eth0
    ip -n "$ns" link set eth0 up

    # PID 1 of the host: a shell that names the host, mounts its /root and /etc/hosts, then becomes sshd.
    # The host's /root is its own, except /root/.m2 (read-only): Maven's jars there are on the class path
    # the master hands its relays, and every host must see the same layout, as real fleets do.
    # setsid: detached from the caller's session and terminal; stdio to the log only, so a caller
    # reading our output is not held open by the host.
    setsid ip netns exec "$ns" \
        unshare --uts --mount --propagation private --pid --fork --kill-child --mount-proc \
        /bin/sh -c 'echo "$1" > /proc/sys/kernel/hostname &&
                    if [ -d /root/.m2 ]; then mkdir -p "$2/.m2" && mount --bind /root/.m2 "$2/.m2" &&
                        mount -o remount,bind,ro "$2/.m2"; fi &&
                    mount --rbind "$2" /root &&
                    mount --bind "$3" /etc/hosts && exec "$4" -D -e -f "$5"' \
        init "$ns" "$dir/root" "$dir/etc-hosts" "$SSHD" "$dir/sshd_config" \
        </dev/null >>"$dir/sshd.log" 2>&1 &
}

cmd_up() {
    local n=${1:-} state i pid deadline t0
    [[ $n =~ ^[0-9]+$ ]] && ((n >= 1 && n <= 99)) || die "usage: testhosts.sh up N [STATE_DIR] (1 <= N <= 99)"
    state=$(state_dir "${2:-}")
    [[ $EUID -eq 0 ]] || die "must run as root (try: testhosts.sh check)"
    t0=$(now_ms)
    cmd_down "$state" 2>/dev/null   # idempotent: whatever a previous (perhaps half-failed) run left
    if [[ -n $(ip -4 route show "$NET.0/24") ]]; then
        die "$NET.0/24 is already routed here: $(ip -4 route show "$NET.0/24")"
    fi
    mkdir -p "$state"
    chmod 700 "$state"
    : >"$state/$MARKER"
    mkdir -p /run/sshd   # sshd's privilege-separation directory
    ssh-keygen -q -t ed25519 -N '' -C distarch-testhosts-client -f "$state/client_key"

    ip link add name "$BRIDGE" address "$BRIDGE_MAC" type bridge
    disable_ipv6 "" "$BRIDGE"
    ip addr add "$BRIDGE_ADDR/24" dev "$BRIDGE"
    ip link set "$BRIDGE" up
    for ((i = 1; i <= n; i++)); do start_host "$state" "$i" "$n"; done
    static_neighbours "$n"
    write_known_hosts "$state" "$n"
    write_client_config "$state" "$n"

    deadline=$(($(date +%s) + UP_WAIT_S))
    : >"$state/hosts.txt.new"
    for ((i = 1; i <= n; i++)); do
        local ns=$PREFIX$i
        until pid=$(init_pid_of "$ns"); do
            (($(date +%s) < deadline)) || die "$ns: no init process; log:$(tail -n 20 "$state/hosts/$ns/sshd.log")"
            sleep 0.02
        done
        until ssh -F "$state/ssh_config" "$ns" true </dev/null 2>"$state/hosts/$ns/ssh-wait.err"; do
            if ! kill -0 "$pid" 2>/dev/null; then
                die "$ns: sshd died; log:$(tail -n 20 "$state/hosts/$ns/sshd.log")"
            fi
            (($(date +%s) < deadline)) || die "$ns: sshd not answering within ${UP_WAIT_S}s: $(cat "$state/hosts/$ns/ssh-wait.err")"
            sleep 0.05
        done
        rm -f "$state/hosts/$ns/ssh-wait.err"
        printf '%s %s %s\n' "$ns" "$(host_addr "$i")" "$pid" >>"$state/hosts.txt.new"
        echo "$pid" >"$state/hosts/$ns/init.pid"
    done
    mv "$state/hosts.txt.new" "$state/hosts.txt"
    say "$n host(s) up in $(($(now_ms) - t0)) ms: ssh -F $state/ssh_config ${PREFIX}1 ..."
    printf '%s\n' "$state"
}

# ----------------------------------------------------------------------------------------------- down

# Our namespaces: from `ip netns list` (the name may carry " (id: N)").
our_namespaces() { ip netns list 2>/dev/null | awk '{ print $1 }' | grep -E "^${PREFIX}[0-9]+$" || true; }

cmd_down() {
    local state ns pid t0 deadline left=""
    state=$(state_dir "${1:-}")
    [[ $EUID -eq 0 ]] || die "must run as root"
    t0=$(now_ms)
    # 1. Kill each host's init (its sshd, PID 1 inside): the kernel then kills every process in that pid
    #    namespace. `unshare --fork` itself ignores SIGTERM, and dies with its child. Also inits recorded
    #    by an earlier run whose namespace name is already gone (checked to be our sshd: pids recycle).
    local pids=()
    for ns in $(our_namespaces); do
        pid=$(init_pid_of "$ns") && pids+=("$pid")
    done
    if [[ -d $state/hosts ]]; then
        local f
        for f in "$state"/hosts/*/init.pid; do
            [[ -f $f ]] || continue
            pid=$(cat "$f")
            if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "-f $(dirname "$f")/sshd_config"; then
                pids+=("$pid")
            fi
        done
    fi
    ((${#pids[@]} == 0)) || kill -KILL "${pids[@]}" 2>/dev/null || true
    # 2. Anything else still in a host's network namespace (started with `ip netns exec`, or unshare).
    deadline=$(($(now_ms) + 5000))
    while :; do
        left=""
        for ns in $(our_namespaces); do left+=" $(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ')"; done
        [[ -z ${left// /} ]] && break
        (($(now_ms) < deadline)) || { say "warning: processes still in test namespaces:$left"; break; }
        # shellcheck disable=SC2086
        kill -KILL $left 2>/dev/null || true
        sleep 0.02
    done
    # 3. Namespaces, veths (deleting a namespace deletes the peer inside it; delete leftovers too), bridge.
    for ns in $(our_namespaces); do ip netns del "$ns" 2>/dev/null || say "warning: cannot delete netns $ns"; done
    local link
    for link in $(ip -o link show 2>/dev/null | awk -F': ' '{ print $2 }' | sed 's/@.*//' | grep -E '^da-v[0-9]+$' || true); do
        ip link del "$link" 2>/dev/null || true
    done
    if ip link show "$BRIDGE" >/dev/null 2>&1; then ip link del "$BRIDGE"; fi
    # 4. State, only if it is ours (never rm -rf a directory someone passed by mistake).
    if [[ -f $state/$MARKER ]]; then
        rm -rf "$state"
    elif [[ -e $state ]]; then
        say "warning: $state has no $MARKER marker: left in place"
    fi
    say "down in $(($(now_ms) - t0)) ms"
}

# ---------------------------------------------------------------------------------- cut, restore, keys

cmd_cut() {
    local i
    i=$(host_index "${1:-}")
    ip link show "$(veth "$i")" >/dev/null 2>&1 || die "$1 is not up"
    ip link set "$(veth "$i")" down
}

cmd_restore() {
    local i
    i=$(host_index "${1:-}")
    ip link show "$(veth "$i")" >/dev/null 2>&1 || die "$1 is not up"
    ip link set "$(veth "$i")" up
}

host_count() { wc -l <"$1/hosts.txt"; }

cmd_rekey() {
    local host=${1:-} i state dir pid key deadline seen=""
    i=$(host_index "$host")
    state=$(state_dir "${2:-}")
    dir=$state/hosts/$host
    [[ -f $dir/init.pid ]] || die "$host is not up (no $dir/init.pid)"
    pid=$(cat "$dir/init.pid")
    rm -f "$dir/new_key" "$dir/new_key.pub"
    ssh-keygen -q -t ed25519 -N '' -C "$host" -f "$dir/new_key"
    mv "$dir/new_key.pub" "$dir/ssh_host_ed25519_key.pub"
    mv "$dir/new_key" "$dir/ssh_host_ed25519_key"
    key=$(cut -d' ' -f2 "$dir/ssh_host_ed25519_key.pub")
    # SIGHUP: sshd re-executes itself and reads its host keys again. It stays PID 1 of the host, so the
    # host's processes and open sessions survive.
    kill -HUP "$pid"
    deadline=$(($(now_ms) + 10000))
    until [[ $seen == "$key" ]]; do
        (($(now_ms) < deadline)) || die "$host: sshd does not serve the new key within 10 s; log:$(tail -n 5 "$dir/sshd.log")"
        sleep 0.05
        seen=$(ssh-keyscan -T 2 -t ed25519 "$(host_addr "$i")" 2>/dev/null | awk '{ print $3 }' || true)
    done
}

cmd_trust() {
    local state
    host_index "${1:-}" >/dev/null
    state=$(state_dir "${2:-}")
    [[ -f $state/hosts.txt ]] || die "no hosts up in $state"
    write_known_hosts "$state" "$(host_count "$state")"
}

# ----------------------------------------------------------------------------------------------- main

main() {
    local cmd=${1:-}
    shift || true
    case $cmd in
        check) cmd_check ;;
        up) cmd_up "$@" ;;
        down) cmd_down "$@" ;;
        cut) cmd_cut "$@" ;;
        restore) cmd_restore "$@" ;;
        rekey) cmd_rekey "$@" ;;
        trust) cmd_trust "$@" ;;
        *) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
    esac
}

main "$@"
