// SPDX-License-Identifier: GPL-2.0
/*
 * mce.c - exc_machine_check through a host-injected machine check.
 *
 * Prints "# idtgen: inject mce"; the host answers with the QEMU monitor
 * command "mce -b 0 1 0xb1000000000000c0 0x5 0 0": an uncorrected,
 * signalled, action-optional memory scrubbing error (SRAO) in bank 1 with
 * MCG_STATUS = MCIP | RIPV, broadcast to every vCPU as Intel CPUs do.
 * QEMU raises #MC (vector 18) for UC errors only. With an Intel vendor
 * and MCG_CAP.SER, mce/severity.c grades it "Action optional: memory
 * scrubbing error" (MCE_AO_SEVERITY): the kernel logs it and goes on.
 * do_machine_check() counts mce_exception_count (the MCE line of
 * /proc/interrupts) and __print_mce() logs "Machine Check Exception"
 * (" Exception": MCIP was set, so it came through #MC, not the poller).
 *
 * On an AuthenticAMD vCPU (QEMU's default qemu64) mce_severity_amd()
 * makes every UC #MC fatal, so the program skips without asking.
 */
#include "harness.h"

#define WAIT_MS		10000
#define POLL_MS		100

static bool cpu_has(const char *what)
{
	static char buf[8192];

	if (read_file("/proc/cpuinfo", buf, sizeof(buf)) <= 0)
		return false;
	return strstr(buf, what) != NULL;
}

int main(void)
{
	static const char *const msg[] = { "Machine Check Exception" };
	const char *name = "exc_machine_check host_mce";
	unsigned long long d = 0;
	struct irq_table a, b;
	long long deadline;
	bool logged = false;
	char line[256] = "";
	int kfd, cpu;

	setvbuf(stdout, NULL, _IOLBF, 0);
	ksft_print_header();
	ksft_set_plan(1);
	if (!cpu_has(" mca")) {
		ktap_skip(name, "the vCPU has no MCA (qemu32 lacks it: boot with -cpu qemu32,+mca)\n");
		ksft_finished();
	}
	if (!cpu_has("GenuineIntel")) {
		ktap_skip(name, "not a GenuineIntel vCPU: mce_severity_amd() makes every UC #MC fatal (boot with -cpu qemu64,vendor=GenuineIntel)\n");
		ksft_finished();
	}
	kfd = kmsg_open();
	if (kfd < 0 || irq_read(&a) || !irq_find(&a, "MCE"))
		ksft_exit_fail_msg("need /dev/kmsg and an MCE line in /proc/interrupts (CONFIG_X86_MCE)\n");

	request_inject("mce");
	deadline = now_ms() + WAIT_MS;
	while (now_ms() < deadline && !(d && logged)) {
		sleep_ms(POLL_MS);
		logged |= kmsg_find(kfd, msg, 1, line, sizeof(line));
		irq_read(&b);
		d = irq_count(&b, "MCE", -1) - irq_count(&a, "MCE", -1);
	}
	for (cpu = 0; cpu < b.ncpus && cpu < IRQ_MAX_CPUS; cpu++)
		ksft_print_msg("MCE CPU%d: +%llu\n", cpu,
			       irq_count(&b, "MCE", cpu) -
			       irq_count(&a, "MCE", cpu));
	ksft_print_msg("kmsg: %s\n", logged ? line : "(no machine check logged)");
	if (!d && !logged)
		ksft_print_msg("no #MC within %d ms: did the host inject?\n",
			       WAIT_MS);
	ksft_test_result(d >= 1 && logged, "%s\n", name);
	ksft_finished();
	return 0;
}
