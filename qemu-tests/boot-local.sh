#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# boot-local.sh - a debugging aid: build the guest programs, pack an
# initramfs and boot it once in QEMU, answering "# idtgen: inject X" lines
# over the monitor like the Java runner does. Not used by the test suite.
#
#   qemu-tests/boot-local.sh [-a x86_64|i386] [-k BZIMAGE] [-t TESTS]
#                            [-m MODE] [-o OUTDIR] [-x EXTRA_APPEND]
#                            [-s SMP] [-c CPU] [-d DPL3FILE] [-K KCONFIG]
#
# Logs: OUTDIR/console.log (ttyS0, kernel) and OUTDIR/tests.log (ttyS1).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
arch=x86_64 kernel= tests= mode=normal out=/tmp/idtgen-qemu extra=
smp=2 cpu= dpl3= kconfig=

while getopts a:k:t:m:o:x:s:c:d:K: opt; do
	case $opt in
	a) arch=$OPTARG ;;
	k) kernel=$OPTARG ;;
	t) tests=$OPTARG ;;
	m) mode=$OPTARG ;;
	o) out=$OPTARG ;;
	x) extra=$OPTARG ;;
	s) smp=$OPTARG ;;
	c) cpu=$OPTARG ;;
	d) dpl3=$OPTARG ;;
	K) kconfig=$OPTARG ;;
	*) exit 2 ;;
	esac
done

series=${IDTGEN_KERNEL:-6.1}
build=$root/work/kernel/$series/stock/build-$arch-tiny
kernel=${kernel:-$build/arch/x86/boot/bzImage}
src=$root/work/kernel/$series/stock/src
mkdir -p "$out"

make -s -C "$here" O="$out" KSFT="$src/tools/testing/selftests"

# The DPL 3 gates of the stock kernel: #BP, #OF, IA32_SYSCALL_VECTOR.
if [ -n "$dpl3" ]; then
	cp "$dpl3" "$out/dpl3"
else
	printf '3\n4\n128\n' > "$out/dpl3"
fi
[ -z "$kconfig" ] && [ -r "$build/.config" ] && kconfig=$build/.config
gen=$build/usr/gen_init_cpio
[ -x "$gen" ] && export GEN_INIT_CPIO=$gen
"$here/mkinitramfs.sh" "$out" "$arch" "$out/dpl3" "$out/initrd-$arch.cpio" $kconfig

if [ "$arch" = x86_64 ]; then
	qemu=qemu-system-x86_64
	# GenuineIntel: an SRAO #MC is survivable (mce/severity.c); on the
	# default AuthenticAMD qemu64 every UC #MC panics.
	cpu=${cpu:-qemu64,vendor=GenuineIntel}
else
	qemu=qemu-system-i386
	# qemu32 has no MCA without +mca
	cpu=${cpu:-qemu32,+mca}
fi

append="console=ttyS0 loglevel=7 panic=-1 idtgen.mode=$mode"
[ -n "$tests" ] && append="$append idtgen.tests=$tests"
[ -n "$extra" ] && append="$append $extra"

rm -f "$out/console.log" "$out/tests.log" "$out/mon.sock"
start=$(date +%s.%N)
timeout 600 $qemu -M pc -cpu "$cpu" -smp "$smp" -m 512M -display none \
	-no-reboot -kernel "$kernel" -initrd "$out/initrd-$arch.cpio" \
	-append "$append" \
	-serial "file:$out/console.log" -serial "file:$out/tests.log" \
	-monitor "unix:$out/mon.sock,server,nowait" &
qpid=$!

# Answer inject requests: one monitor command per "# idtgen: inject X".
python3 - "$out" "$qpid" <<'EOF'
import os, socket, sys, time
out, qpid = sys.argv[1], int(sys.argv[2])
cmds = {
    'nmi': 'nmi',
    # SRAO memory scrubbing error in bank 1, MCIP|RIPV|LMCES (local)
    'mce': 'mce 0 1 0xb1000000000000c0 0xd 0 0',
    # processor context corrupt: fatal
    'mce-fatal': 'mce 0 1 0xb200000000000000 0xd 0 0',
}
def alive():
    try:
        os.kill(qpid, 0)
        return True
    except OSError:
        return False
sock = None
for _ in range(200):
    try:
        sock = socket.socket(socket.AF_UNIX)
        sock.connect(out + '/mon.sock')
        break
    except OSError:
        sock = None
        time.sleep(0.05)
done = 0
while alive():
    try:
        lines = open(out + '/tests.log', errors='replace').read().split('\n')
    except OSError:
        lines = []
    injects = [l for l in lines[:-1] if l.startswith('# idtgen: inject ')]
    for l in injects[done:]:
        what = l.split()[-1]
        cmd = cmds.get(what)
        print('boot-local: inject %s -> %s' % (what, cmd), file=sys.stderr)
        if sock and cmd:
            sock.send((cmd + '\n').encode())
    done = len(injects)
    time.sleep(0.05)
EOF
wait $qpid || true
end=$(date +%s.%N)

echo "=== tests.log ($out/tests.log)"
cat "$out/tests.log"
echo "=== console.log: $(wc -l < "$out/console.log") lines ($out/console.log)"
printf 'boot: %.1f s\n' "$(echo "$end - $start" | bc)"
