#!/usr/bin/env bash
# A real two-node Slurm cluster on this machine, for tests/scale.bats (after
# ../shared/notes/slurm-single-host.md): its own munged (own key and socket),
# slurmctld and two `slurmd -N` on their own free ports, everything (config,
# state, logs, pid files) in DIR; nothing outside DIR is written.
#
#   tests/slurm-cluster.sh check       exit 0 if a cluster can be started here,
#                                      else print why not and exit 3
#   tests/slurm-cluster.sh start DIR   start it (DIR empty or new); then the
#                                      clients need SLURM_CONF=DIR/slurm.conf
#   tests/slurm-cluster.sh stop DIR    cancel its jobs, stop every daemon it
#                                      started by the PID in its pid file, and
#                                      wait until each is gone
#
# start fails (status 1, with the daemons' logs) if a daemon does not come up;
# it stops what it started first.  Needs root and the Debian packages
# slurmctld, slurmd, slurm-client and munge.
set -euo pipefail
me=slurm-cluster.sh

check() {
    [ "$(id -u)" = 0 ] || { echo "not root (slurmd runs jobs as root here)"; return 3; }
    local p missing=""
    for p in munged slurmctld slurmd sbatch squeue sinfo scontrol scancel; do
        command -v "$p" >/dev/null || PATH=$PATH:/usr/sbin command -v "$p" >/dev/null || missing+=" $p"
    done
    [ -z "$missing" ] || { echo "missing$missing (apt-get install --no-install-recommends slurmctld slurmd slurm-client munge)"; return 3; }
    id munge >/dev/null 2>&1 || { echo "no user munge (apt-get install munge)"; return 3; }
}

# A port nobody listens on, and the two after it: three ports from a start
# that depends on this process, so that two runs at once pick different ones.
free_port() {
    local p i
    for ((i = 0; i < 200; i++)); do
        p=$((20000 + ($$ * 7 + i * 13) % 30000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null &&
            ! (exec 3<>"/dev/tcp/127.0.0.1/$((p + 1))") 2>/dev/null &&
            ! (exec 3<>"/dev/tcp/127.0.0.1/$((p + 2))") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    echo "$me: no free port" >&2
    return 1
}

start() {
    local d=$1 port
    PATH=$PATH:/usr/sbin
    # The daemons must not hold our caller's files open (bats waits for its
    # fd 3 to close): they get /dev/null, and what they say before they
    # detach goes to DIR/log/start.log.
    exec 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- </dev/null
    mkdir -p "$d"
    d=$(cd "$d" && pwd)
    mkdir -p "$d/state" "$d/spool-n1" "$d/spool-n2" "$d/log" "$d/munge"
    local log=$d/log/start.log
    # munged checks that its files are its own and not open to others.
    chmod 0755 "$d"
    dd if=/dev/urandom of="$d/munge/munge.key" bs=1024 count=1 status=none
    chmod 0755 "$d/munge"
    chmod 0400 "$d/munge/munge.key"
    chown -R munge:munge "$d/munge"
    runuser -u munge -- test -x "$d/munge" ||
        { echo "$me: the user munge cannot reach $d/munge: give a folder every user may enter" >&2; return 1; }
    runuser -u munge -- munged --socket="$d/munge/socket" --key-file="$d/munge/munge.key" \
        --pid-file="$d/munge/munged.pid" --log-file="$d/munge/munged.log" \
        --seed-file="$d/munge/munged.seed" >>"$log" 2>&1 || { fail "$d" munged; return 1; }
    port=$(free_port)
    # Two CPUs a node (the notes have one): a test's four tasks run at once.
    cat > "$d/slurm.conf" <<EOF
ClusterName=distconf-test
SlurmctldHost=localhost
SlurmctldPort=$port
SlurmUser=root
AuthType=auth/munge
AuthInfo=socket=$d/munge/socket
CredType=cred/munge
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool-%n
SlurmctldPidFile=$d/slurmctld.pid
SlurmdPidFile=$d/slurmd-%n.pid
SlurmctldLogFile=$d/log/slurmctld.log
SlurmdLogFile=$d/log/slurmd-%n.log
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
SchedulerParameters=batch_sched_delay=0
NodeName=n1 NodeHostname=localhost NodeAddr=127.0.0.1 Port=$((port + 1)) CPUs=2 RealMemory=500
NodeName=n2 NodeHostname=localhost NodeAddr=127.0.0.1 Port=$((port + 2)) CPUs=2 RealMemory=500
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
    export SLURM_CONF=$d/slurm.conf
    slurmctld -f "$d/slurm.conf" -i >>"$log" 2>&1 || { fail "$d" slurmctld; return 1; }
    slurmd -f "$d/slurm.conf" -N n1 >>"$log" 2>&1 || { fail "$d" "slurmd -N n1"; return 1; }
    slurmd -f "$d/slurm.conf" -N n2 >>"$log" 2>&1 || { fail "$d" "slurmd -N n2"; return 1; }
    local i
    for ((i = 0; i < 150; i++)); do
        [ "$(sinfo -h -N -o '%N %T' 2>/dev/null | sort -u | grep -c ' idle$')" = 2 ] && return 0
        sleep 0.2
    done
    fail "$d" "the two nodes idle"
    return 1
}

# A daemon did not come up: show the logs, stop the others.
fail() {
    local d=$1 f
    echo "$me: $2 did not come up; its logs:" >&2
    for f in "$d"/log/start.log "$d"/munge/munged.log "$d"/log/slurm*.log; do
        [ -f "$f" ] && { echo "== $f" >&2; tail -20 "$f" >&2; }
    done
    stop "$d" || true
}

stop() {
    local d=$1 f pid name i
    PATH=$PATH:/usr/sbin
    d=$(cd "$d" && pwd) || return 0
    export SLURM_CONF=$d/slurm.conf
    # Jobs still queued or running would outlive slurmd in their slurmstepd.
    if [ -f "$d/slurmctld.pid" ] && ours "$(cat "$d/slurmctld.pid")" slurmctld "$d"; then
        local jobs=()
        mapfile -t jobs < <(squeue -h -o %i 2>/dev/null)
        [ "${#jobs[@]}" = 0 ] || scancel --full "${jobs[@]}" 2>/dev/null || true
        for ((i = 0; i < 50; i++)); do
            squeue -h 2>/dev/null | grep -q . || break
            sleep 0.2
        done
    fi
    # TERM to every daemon at once (each takes 1-2 s to end), then wait.
    local pids=()
    for f in "$d"/slurmd-n1.pid:slurmd "$d"/slurmd-n2.pid:slurmd "$d"/slurmctld.pid:slurmctld \
        "$d"/munge/munged.pid:munged; do
        name=${f##*:} f=${f%:*}
        [ -f "$f" ] || continue
        pid=$(cat "$f")
        ours "$pid" "$name" "$d" || continue
        kill -TERM "$pid" 2>/dev/null && pids+=("$pid:$name")
    done
    for f in "${pids[@]}"; do
        pid=${f%%:*} name=${f#*:}
        for ((i = 0; i < 100; i++)); do
            alive "$pid" || break
            sleep 0.1
        done
        if alive "$pid"; then
            echo "$me: $name ($pid) still up after 10 s: killing it" >&2
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
}

# alive PID: PID runs (a zombie waiting for its parent counts as ended).
alive() {
    kill -0 "$1" 2>/dev/null && ! grep -q '^[0-9]* (.*) Z' "/proc/$1/stat" 2>/dev/null
}

# ours PID NAME DIR: PID is a NAME started for DIR (its command line names
# DIR), not a process that took the number of one that has ended.
ours() {
    [[ $1 =~ ^[0-9]+$ ]] || return 1
    [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ] || return 1
    tr '\0' ' ' < "/proc/$1/cmdline" 2>/dev/null | grep -qF "$3/"
}

case ${1:-} in
check) check ;;
start) [ $# = 2 ] || { echo "usage: $me start DIR" >&2; exit 2; }; check >&2 || exit 3; start "$2" ;;
stop) [ $# = 2 ] || { echo "usage: $me stop DIR" >&2; exit 2; }; stop "$2" ;;
*) echo "usage: $me check | start DIR | stop DIR" >&2; exit 2 ;;
esac
