// SPDX-License-Identifier: GPL-2.0
/*
 * irqs.c - make the kernel take its system vectors and a device interrupt,
 * and check that the counters /proc/interrupts keeps for them (each one
 * incremented by its handler, see arch/x86/kernel/irq.c
 * arch_show_interrupts()) grow on the CPU that must have taken them.
 *
 * Test point names: "<C handler> <counter or case>".
 */
#include "harness.h"

#include <linux/perf_event.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <termios.h>

#define NR_TESTS	8
#define ROUNDS		50
#define ATTEMPTS	3
#define PAGE		4096

static int ncpus;

struct spinner {
	pthread_t thread;
	int cpu;
	pid_t tid;
	volatile int running;
	volatile int stop;
	volatile int done;
	volatile unsigned long beats;
};

static volatile unsigned long kicks;

static void on_usr1(int sig)
{
	(void)sig;
	kicks++;
}

/* Busy in user mode on @s->cpu, so that the CPU runs our mm. */
static void *spin(void *arg)
{
	struct spinner *s = arg;

	if (pin_to_cpu(s->cpu))
		return NULL;
	s->tid = (pid_t)syscall(SYS_gettid);
	s->running = 1;
	while (!s->stop) {
		s->beats++;
		asm volatile("pause" ::: "memory");
	}
	s->done = 1;
	return NULL;
}

static int spinner_start(struct spinner *s, int cpu)
{
	long long deadline = now_ms() + 5000;

	memset(s, 0, sizeof(*s));
	s->cpu = cpu;
	if (pthread_create(&s->thread, NULL, spin, s))
		return -1;
	pthread_detach(s->thread);
	while (!s->running && now_ms() < deadline)
		sched_yield();
	return s->running ? 0 : -1;
}

/*
 * Not pthread_join(): 32-bit glibc waits with the time32 futex syscall,
 * missing without CONFIG_COMPAT_32BIT_TIME.
 */
static void spinner_stop(struct spinner *s)
{
	s->stop = 1;
	while (!s->done)
		sched_yield();
}

/*
 * Wait until @s is seen running in user mode: then its CPU runs our mm,
 * not lazily, and the task is current there. Early after boot kworkers
 * (the i8042 mouse probe, ...) share CPU1 with the spinner; an IPI that
 * is sent while one of them runs is legitimately skipped.
 */
static void wait_beat(struct spinner *s)
{
	unsigned long b = s->beats;
	long long deadline = now_ms() + 1000;

	while (s->beats == b && now_ms() < deadline)
		;
}

static unsigned long long delta(const struct irq_table *a,
				const struct irq_table *b, const char *key,
				int cpu)
{
	return irq_count(b, key, cpu) - irq_count(a, key, cpu);
}

/* Every CPU the machine has came online (2 in the smp boot, 1 under Bochs). */
static bool test_online(void)
{
	char buf[64] = "", present[64] = "";
	bool ok;

	read_file("/sys/devices/system/cpu/online", buf, sizeof(buf));
	read_file("/sys/devices/system/cpu/present", present, sizeof(present));
	buf[strcspn(buf, "\n")] = '\0';
	present[strcspn(present, "\n")] = '\0';
	ncpus = online_cpus();
	ksft_print_msg("online CPUs: %s (%d), present: %s\n", buf, ncpus, present);
	ok = buf[0] && !strcmp(buf, present) && ncpus >= 1;
	ksft_test_result(ok, "cpus_online\n");
	return ok;
}

/* apic.c sysvec_apic_timer_interrupt: inc_irq_stat(apic_timer_irqs) */
static void test_local_timer(void)
{
	struct irq_table a, b;
	bool ok = true;
	int cpu;

	irq_read(&a);
	sleep_ms(200);
	irq_read(&b);
	for (cpu = 0; cpu < ncpus && cpu < IRQ_MAX_CPUS; cpu++) {
		unsigned long long d = delta(&a, &b, "LOC", cpu);

		ksft_print_msg("LOC CPU%d: +%llu in 200 ms\n", cpu, d);
		ok &= d >= 5;
	}
	ksft_test_result(ok, "sysvec_apic_timer_interrupt LOC\n");
}

/* One attempt: the RES count of CPU1 for ROUNDS signals. */
static unsigned long long reschedule_attempt(struct spinner *s)
{
	struct irq_table a, b;
	unsigned long start = kicks;
	long long deadline;
	int i;

	irq_read(&a);
	for (i = 0; i < ROUNDS; i++) {
		wait_beat(s);
		deadline = now_ms() + 2000;
		syscall(SYS_tgkill, getpid(), s->tid, SIGUSR1);
		while (kicks - start <= (unsigned long)i && now_ms() < deadline)
			;
	}
	irq_read(&b);
	return delta(&a, &b, "RES", 1);
}

/*
 * Signals to a thread that is running on CPU1: signal_wake_up() ->
 * kick_process() -> smp_send_reschedule(), RESCHEDULE_VECTOR on CPU1,
 * smp.c sysvec_reschedule_ipi: inc_irq_stat(irq_resched_count).
 */
static void test_reschedule(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	unsigned long long d = 0;
	struct spinner s;
	int i;

	if (ncpus < 2) {
		ktap_skip("sysvec_reschedule_ipi RES", "needs 2 online CPUs\n");
		return;
	}
	sigaction(SIGUSR1, &sa, NULL);
	if (spinner_start(&s, 1))
		ksft_exit_fail_msg("cannot run a thread on CPU1\n");
	for (i = 0; i < ATTEMPTS && d < ROUNDS / 2; i++) {
		d = reschedule_attempt(&s);
		ksft_print_msg("RES CPU1: +%llu for %d signals (%lu handled)\n",
			       d, ROUNDS, kicks);
	}
	spinner_stop(&s);
	ksft_test_result(d >= ROUNDS / 2, "sysvec_reschedule_ipi RES\n");
}

/* munmap() while other CPUs run this mm: a TLB shootdown each round. */
static void shootdown_rounds(struct spinner *s, int targets)
{
	int i, cpu;

	for (i = 0; i < ROUNDS; i++) {
		char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			ksft_exit_fail_msg("mmap: %s\n", strerror(errno));
		*(volatile char *)p = 1;
		for (cpu = 1; cpu <= targets; cpu++)
			wait_beat(&s[cpu]);
		munmap(p, PAGE);
	}
}

/* One attempt: do all @targets CPUs count ROUNDS / 2 CAL or more? */
static bool shootdown_attempt(struct spinner *s, int targets,
			      const char *name)
{
	struct irq_table a, b;
	bool ok = true;
	int cpu;

	irq_read(&a);
	shootdown_rounds(s, targets);
	irq_read(&b);
	for (cpu = 1; cpu <= targets; cpu++) {
		unsigned long long cal = delta(&a, &b, "CAL", cpu);

		ksft_print_msg("%s: CPU%d CAL +%llu TLB +%llu for %d munmaps\n",
			       name, cpu, cal, delta(&a, &b, "TLB", cpu),
			       ROUNDS);
		ok &= cal >= ROUNDS / 2;
	}
	return ok;
}

/*
 * flush_tlb_mm_range() -> native_flush_tlb_multi() ->
 * smp_call_function_many_cond(): one target CPU gets
 * send_call_function_single_ipi() (CALL_FUNCTION_SINGLE_VECTOR), two or
 * more get arch_send_call_function_ipi_mask() (CALL_FUNCTION_VECTOR).
 * Both handlers (smp.c) count in CAL; flush_tlb_func() counts TLB.
 */
static bool shootdown(int targets, const char *name)
{
	struct spinner s[IRQ_MAX_CPUS];
	bool ok = false;
	int i, cpu;

	for (cpu = 1; cpu <= targets; cpu++)
		if (spinner_start(&s[cpu], cpu))
			ksft_exit_fail_msg("cannot run a thread on CPU%d\n", cpu);
	for (i = 0; i < ATTEMPTS && !ok; i++)
		ok = shootdown_attempt(s, targets, name);
	for (cpu = 1; cpu <= targets; cpu++)
		spinner_stop(&s[cpu]);
	return ok;
}

static void test_call_function(void)
{
	const char *single = "sysvec_call_function_single CAL";
	const char *many = "sysvec_call_function CAL";

	if (ncpus < 2)
		ktap_skip(single, "needs 2 online CPUs\n");
	else
		ksft_test_result(shootdown(1, single), "%s\n", single);

	if (ncpus < 3)
		ktap_skip(many, "needs 3 online CPUs; with %d, smp_call_function_many_cond() sends only single-target IPIs\n",
			  ncpus);
	else
		ksft_test_result(shootdown(2, many), "%s\n", many);
}

static int perf_open(void)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_PAGE_FAULTS,
		.sample_period = 1,
		.sample_type = PERF_SAMPLE_IP,
		.wakeup_events = 1,
		.exclude_kernel = 1,
	};

	return (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
}

static void touch_pages(int n)
{
	char *p = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int i;

	if (p == MAP_FAILED)
		ksft_exit_fail_msg("mmap: %s\n", strerror(errno));
	for (i = 0; i < n; i++)
		p[i * PAGE] = 1;
	munmap(p, n * PAGE);
}

/*
 * A sampling perf event with wakeup_events = 1: every sample ends in
 * perf_output_wakeup() -> irq_work_queue(&event->pending_irq), a non-lazy
 * irq_work, raised as IRQ_WORK_VECTOR to this CPU (irq_work.c
 * arch_irq_work_raise). irq_work.c sysvec_irq_work counts irq_work_irqs.
 * (printk's klogd wakeup is lazy irq_work: it waits for the tick.)
 */
static void test_irq_work(void)
{
	const char *name = "sysvec_irq_work IWI";
	size_t len = 9 * PAGE;
	struct irq_table a, b;
	unsigned long long d;
	void *rb;
	int fd;

	fd = perf_open();
	if (fd < 0) {
		ktap_skip(name, "perf_event_open: %s: no other non-lazy irq_work source for user space\n",
			  strerror(errno));
		return;
	}
	rb = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (rb == MAP_FAILED)
		ksft_exit_fail_msg("mmap perf buffer: %s\n", strerror(errno));
	irq_read(&a);
	touch_pages(ROUNDS);
	irq_read(&b);
	munmap(rb, len);
	close(fd);
	d = delta(&a, &b, "IWI", 0);
	ksft_print_msg("IWI CPU0: +%llu for %d page-fault samples\n", d,
		       ROUNDS);
	ksft_test_result(d >= 1, "%s\n", name);
}

/* The IRQ line of the serial port behind @fd ("3" for ttyS1). */
static int serial_irq(int fd, char *key, size_t size)
{
	char path[128], buf[32];
	const char *tty = ttyname(fd);

	if (!tty || strncmp(tty, "/dev/ttyS", 9))
		return -1;
	snprintf(path, sizeof(path), "/sys/class/tty/%s/irq", tty + 5);
	if (read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	snprintf(key, size, "%d", atoi(buf));
	return 0;
}

/*
 * Transmitting on the 8250 raises THRE interrupts on its IO-APIC line:
 * irq_entries_start[vector] -> common_interrupt -> serial8250_interrupt.
 * The port behind stdout (ttyS1); when stdout is no serial port (under
 * Bochs /init relays the stream to port 0xE9), the console's, ttyS0.
 */
static void test_serial(void)
{
	const char *name = "common_interrupt serial";
	struct irq_table a, b;
	unsigned long long d;
	char key[16];
	int fd = STDOUT_FILENO;
	int i;

	if (serial_irq(fd, key, sizeof(key))) {
		fd = open("/dev/ttyS0", O_WRONLY | O_NOCTTY);
		if (fd < 0 || serial_irq(fd, key, sizeof(key))) {
			ktap_skip(name, "neither stdout nor /dev/ttyS0 is an 8250 port with an IRQ\n");
			if (fd >= 0)
				close(fd);
			return;
		}
	}
	fflush(stdout);
	irq_read(&a);
	for (i = 0; i < 32; i++)
		dprintf(fd, "# serial load %02d ................................................................\n",
			i);
	tcdrain(fd);
	irq_read(&b);
	if (fd != STDOUT_FILENO)
		close(fd);
	d = delta(&a, &b, key, -1);
	ksft_print_msg("IRQ %s (%s): +%llu for 3 KB written\n", key,
		       irq_find(&b, key) ? irq_find(&b, key)->desc : "?", d);
	ksft_test_result(d >= 1, "%s\n", name);
}

/*
 * IRQ 0 only ticks while the PIT or HPET is a CPU's tick device; once
 * the local APIC timer took over (the usual case) it stays silent.
 */
static void test_timer_irq(void)
{
	const char *name = "common_interrupt timer";
	char dev[64] = "";
	struct irq_table a, b;
	unsigned long long d;

	irq_read(&a);
	if (!irq_find(&a, "0") || !strstr(irq_find(&a, "0")->desc, "timer")) {
		ktap_skip(name, "no IRQ 0 timer line in /proc/interrupts\n");
		return;
	}
	read_file("/sys/devices/system/clockevents/clockevent0/current_device",
		  dev, sizeof(dev));
	dev[strcspn(dev, "\n")] = '\0';
	if (strcmp(dev, "pit") && strcmp(dev, "hpet")) {
		ktap_skip(name, "CPU0's tick device is '%s', not the pit/hpet on IRQ 0\n",
			  dev);
		return;
	}
	sleep_ms(200);
	irq_read(&b);
	d = delta(&a, &b, "0", -1);
	ksft_print_msg("IRQ 0 (%s tick): +%llu in 200 ms\n", dev, d);
	ksft_test_result(d >= 5, "%s\n", name);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	ksft_print_header();
	ksft_set_plan(NR_TESTS);
	if (pin_to_cpu(0))
		ksft_exit_fail_msg("sched_setaffinity CPU0: %s\n",
				   strerror(errno));
	test_online();
	test_local_timer();
	test_reschedule();
	test_call_function();
	test_irq_work();
	test_serial();
	test_timer_irq();
	ksft_finished();
	return 0;
}
