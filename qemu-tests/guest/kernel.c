// SPDX-License-Identifier: GPL-2.0
/*
 * kernel.c - entry paths taken by the kernel itself, from kernel mode.
 *
 *   exc_invalid_op warn   LKDTM WARNING: WARN_ON() is a ud2 with a bug
 *                         table entry; exc_invalid_op -> handle_bug() ->
 *                         report_bug() logs "WARNING: CPU: ..." and the
 *                         kernel goes on (no oops: no "invalid opcode").
 *   exc_int3 text_poke    toggling a scheduler feature flips a static key:
 *                         jump_label -> text_poke_bp_batch() writes an
 *                         int3 first, CPUs running into it take exc_int3
 *                         -> poke_int3_handler(); each batch syncs the
 *                         other CPUs 3 times (text_poke_sync(), an IPI),
 *                         which CAL of CPU1 counts.
 *
 * The crash paths (LKDTM BUG, EXHAUST_STACK, DOUBLE_FAULT) end the boot,
 * so /init triggers them in crash modes, not this program.
 */
#include "harness.h"

#define LKDTM_DIRECT	"/sys/kernel/debug/provoke-crash/DIRECT"
#define SCHED_FEATURES	"/sys/kernel/debug/sched/features"
#define WAIT_MS		2000
#define TOGGLES		2

/* Records of kmsg_open() on: which of @needles turned up within @ms. */
static unsigned int kmsg_scan(int fd, const char *const *needles, int n,
			      unsigned int ms)
{
	long long deadline = now_ms() + ms;
	unsigned int seen = 0;
	char line[256];
	int i;

	do {
		while (kmsg_find(fd, needles, n, line, sizeof(line))) {
			for (i = 0; i < n; i++)
				if (strstr(line, needles[i]))
					seen |= 1u << i;
			ksft_print_msg("kmsg: %s\n", line);
		}
		if (seen & 1)
			break;
		sleep_ms(50);
	} while (now_ms() < deadline);
	return seen;
}

static void test_warn(void)
{
	static const char *const needles[] = {
		"WARNING: CPU:", "invalid opcode", "cut here",
	};
	const char *name = "exc_invalid_op warn";
	unsigned int seen;
	int kfd, err;

	if (access(LKDTM_DIRECT, W_OK)) {
		ktap_skip(name, "%s missing: needs CONFIG_DEBUG_FS=y and CONFIG_LKDTM=y\n",
			  LKDTM_DIRECT);
		return;
	}
	if (kconfig("CONFIG_BUG") == 'n') {
		ktap_skip(name, "CONFIG_BUG is not set: WARN_ON() emits no ud2\n");
		return;
	}
	kfd = kmsg_open();
	err = write_file(LKDTM_DIRECT, "WARNING");
	if (err)
		ksft_print_msg("write WARNING to DIRECT: %s\n", strerror(-err));
	seen = kmsg_scan(kfd, needles, 3, WAIT_MS);
	close(kfd);
	ksft_test_result(!err && (seen & 1) && !(seen & 2), "%s\n", name);
}

/* The first feature of /sys/kernel/debug/sched/features, without NO_. */
static int pick_feature(char *feat, size_t size, bool *on)
{
	char buf[2048], *tok;

	if (read_file(SCHED_FEATURES, buf, sizeof(buf)) <= 0)
		return -1;
	tok = strtok(buf, " \n");
	if (!tok)
		return -1;
	*on = strncmp(tok, "NO_", 3) != 0;
	snprintf(feat, size, "%s", *on ? tok : tok + 3);
	return 0;
}

static int set_feature(const char *feat, bool on)
{
	char text[80];

	snprintf(text, sizeof(text), "%s%s", on ? "" : "NO_", feat);
	return write_file(SCHED_FEATURES, text);
}

static volatile int yield_stop, yield_done;

/* Run scheduler code on CPU1 while its static branches are patched. */
static void *yielder(void *arg)
{
	(void)arg;
	if (!pin_to_cpu(1))
		while (!yield_stop)
			sched_yield();
	yield_done = 1;
	return NULL;
}

static int toggle(const char *feat, bool on)
{
	int i, err = 0;

	for (i = 0; i < TOGGLES && !err; i++) {
		err = set_feature(feat, !on);
		if (!err)
			err = set_feature(feat, on);
	}
	return err;
}

static void test_text_poke(void)
{
	const char *name = "exc_int3 text_poke";
	unsigned long long cal;
	struct irq_table a, b;
	char feat[64];
	pthread_t t;
	bool on;
	int err;

	if (access(SCHED_FEATURES, W_OK)) {
		ktap_skip(name, "%s missing: needs CONFIG_DEBUG_FS=y and CONFIG_SCHED_DEBUG=y\n",
			  SCHED_FEATURES);
		return;
	}
	if (kconfig("CONFIG_JUMP_LABEL") != 'y') {
		ktap_skip(name, "%s: static keys are not patched\n",
			  kconfig("CONFIG_JUMP_LABEL") ?
			  "CONFIG_JUMP_LABEL is not set" :
			  "no /etc/idtgen/kconfig to tell CONFIG_JUMP_LABEL");
		return;
	}
	if (online_cpus() < 2 || pick_feature(feat, sizeof(feat), &on)) {
		ktap_skip(name, "needs 2 CPUs and a scheduler feature\n");
		return;
	}
	if (pthread_create(&t, NULL, yielder, NULL))
		ksft_exit_fail_msg("pthread_create: %s\n", strerror(errno));
	pthread_detach(t);
	irq_read(&a);
	err = toggle(feat, on);
	irq_read(&b);
	yield_stop = 1;
	while (!yield_done)
		sched_yield();
	cal = irq_count(&b, "CAL", 1) - irq_count(&a, "CAL", 1);
	ksft_print_msg("%d x 2 toggles of %s: %s, CPU1 CAL +%llu\n", TOGGLES,
		       feat, err ? strerror(-err) : "ok", cal);
	/* Without patching no IPI at all; with it 3 per write (measured). */
	ksft_test_result(!err && cal >= 2 * TOGGLES, "%s\n", name);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	ksft_print_header();
	ksft_set_plan(2);
	if (pin_to_cpu(0))
		ksft_exit_fail_msg("sched_setaffinity: %s\n", strerror(errno));
	test_warn();
	test_text_poke();
	ksft_finished();
	return 0;
}
