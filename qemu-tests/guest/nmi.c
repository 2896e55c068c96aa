// SPDX-License-Identifier: GPL-2.0
/*
 * nmi.c - exc_nmi through a host-injected NMI.
 *
 * Prints "# idtgen: inject nmi"; the host answers with the QEMU monitor
 * command "nmi", which raises an NMI on every vCPU. Nothing in the guest
 * claims it, so nmi.c default_do_nmi() counts it (__nmi_count, the NMI
 * line of /proc/interrupts) and unknown_nmi_error() logs
 * "Uhhuh. NMI received for unknown reason". Both must appear in 10 s.
 */
#include "harness.h"

#define WAIT_MS		10000
#define POLL_MS		100

int main(void)
{
	static const char *const msg[] = { "NMI received for unknown reason" };
	const char *name = "exc_nmi host_nmi";
	unsigned long long d = 0;
	struct irq_table a, b;
	long long deadline;
	bool logged = false;
	char line[256] = "";
	int kfd, cpu;

	setvbuf(stdout, NULL, _IOLBF, 0);
	ksft_print_header();
	ksft_set_plan(1);
	kfd = kmsg_open();
	if (kfd < 0 || irq_read(&a) || !irq_find(&a, "NMI"))
		ksft_exit_fail_msg("need /dev/kmsg and an NMI line in /proc/interrupts\n");

	request_inject("nmi");
	deadline = now_ms() + WAIT_MS;
	while (now_ms() < deadline && !(d && logged)) {
		sleep_ms(POLL_MS);
		logged |= kmsg_find(kfd, msg, 1, line, sizeof(line));
		irq_read(&b);
		d = irq_count(&b, "NMI", -1) - irq_count(&a, "NMI", -1);
	}
	for (cpu = 0; cpu < b.ncpus && cpu < IRQ_MAX_CPUS; cpu++)
		ksft_print_msg("NMI CPU%d: +%llu\n", cpu,
			       irq_count(&b, "NMI", cpu) -
			       irq_count(&a, "NMI", cpu));
	ksft_print_msg("kmsg: %s\n", logged ? line : "(no unknown-NMI message)");
	if (!d && !logged)
		ksft_print_msg("no NMI within %d ms: did the host inject?\n",
			       WAIT_MS);
	ksft_test_result(d >= 1 && logged, "%s\n", name);
	ksft_finished();
	return 0;
}
