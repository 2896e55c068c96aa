// SPDX-License-Identifier: GPL-2.0
/*
 * audit.c - relays the kernel's KUnit audit of its IDT into the test stream.
 *
 * The kernel runs the KUnit suites of arch/x86/kernel/idtgen_idt_kunit.o
 * (fed vectors.yaml's rows) once at boot, before /init, and logs their
 * KTAP. This program reads the kernel log from its first record
 * (/dev/kmsg), finds each suite's subtest and turns each of its results into
 * one test point "PREFIX CASE", the suite's diagnostic lines before it:
 *
 *   idtgen_idt       idt_audit     vector_0xNN for each of the 256 vectors,
 *                                  idt_loaded, idt_read_only, fred_msrs
 *   idtgen_delivery  idt_delivery  vector_0xNN for each of 0x20..0xff:
 *                                  a self-IPI on every online CPU reached
 *                                  the table's handler
 *   idtgen_entry     idt_entry     raise_0xNN for each of 0x00..0x1f: the
 *                                  exception raised from kernel mode, its
 *                                  handler's pt_regs the frame the CPU
 *                                  pushed (templates/kernel_mode.yaml)
 *
 * Then one point "PREFIX suite" per suite: it must be in the log, end, and
 * report as many results as its plan, with no record lost. The suites must
 * be there when the kernel has CONFIG_IDTGEN_IDT_KUNIT_TEST
 * (/etc/idtgen/kconfig); without it there is one skipped point. On a 64-bit
 * kernel the 32-bit build skips ("idt_audit relay"): audit-64 relays it.
 */
#include "harness.h"

#define MAX_CASES	300
#define MAX_DIAG	2048

struct kcase {
	bool ok;
	bool skip;
	char name[64];
	char reason[256];
	char diag[MAX_DIAG];
};

struct suite {
	const char *kunit;	/* the KUnit suite's name */
	const char *prefix;	/* its test points' names start with this */
	struct kcase cases[MAX_CASES];
	int ncases, plan, indent;
	bool done, lost, overflow;
	char diag[MAX_DIAG];
};

static struct suite suites[] = {
	{ .kunit = "idtgen_idt", .prefix = "idt_audit", .plan = -1, .indent = -1 },
	{ .kunit = "idtgen_delivery", .prefix = "idt_delivery", .plan = -1, .indent = -1 },
	{ .kunit = "idtgen_entry", .prefix = "idt_entry", .plan = -1, .indent = -1 },
};

#define NR_SUITES	(int)(sizeof(suites) / sizeof(suites[0]))

static void add_diag(struct suite *s, const char *text)
{
	size_t len = strlen(s->diag);

	snprintf(s->diag + len, sizeof(s->diag) - len, "%s\n", text);
}

/* One line of the kernel log for suite @s, its leading spaces counted. */
static void suite_line(struct suite *s, char *text)
{
	int ind = (int)strspn(text, " \t");
	char *t = text + ind, *hash, head[96];
	struct kcase *c;
	bool ok;
	int n;

	if (s->done)
		return;
	if (s->indent < 0) {
		snprintf(head, sizeof(head), "# Subtest: %s", s->kunit);
		if (!strcmp(t, head))
			s->indent = ind;
		return;
	}
	if (!*t)
		return;
	if (ind < s->indent && (!strncmp(t, "ok ", 3) || !strncmp(t, "not ok ", 7))) {
		/* the suite's own result line ends it */
		s->done = true;
		return;
	}
	if (ind != s->indent) {
		/* KUnit's messages (6.1 logs an assertion's message unindented), or the kernel's meanwhile */
		add_diag(s, t);
		return;
	}
	if (sscanf(t, "1..%d", &n) == 1) {
		s->plan = n;
		return;
	}
	ok = !strncmp(t, "ok ", 3);
	if (!ok && strncmp(t, "not ok ", 7)) {
		add_diag(s, t);
		return;
	}
	if (s->ncases == MAX_CASES) {
		s->overflow = true;
		return;
	}
	c = &s->cases[s->ncases++];
	t += ok ? 3 : 7;
	t += strspn(t, "0123456789");
	t += strspn(t, " -");
	hash = strstr(t, " # ");
	if (hash) {
		*hash = '\0';
		hash += 3;
		c->skip = !strncasecmp(hash, "SKIP", 4);
		snprintf(c->reason, sizeof(c->reason), "%s",
			 c->skip ? hash + 4 + strspn(hash + 4, " ") : hash);
	}
	c->ok = ok;
	snprintf(c->name, sizeof(c->name), "%s", t);
	memcpy(c->diag, s->diag, sizeof(s->diag));
	s->diag[0] = '\0';
}

static void line(char *text)
{
	int i;

	for (i = 0; i < NR_SUITES; i++)
		suite_line(&suites[i], text);
}

/* Every record of the kernel log, from the first; "\x0a" in a record ends a line. */
static int read_log(void)
{
	char rec[2048], *msg, *p, *q;
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	ssize_t len;
	int i;

	if (fd < 0)
		return -1;
	for (;;) {
		len = read(fd, rec, sizeof(rec) - 1);
		if (len < 0 && errno == EPIPE) {
			for (i = 0; i < NR_SUITES; i++)
				suites[i].lost |= suites[i].indent >= 0 && !suites[i].done;
			continue;
		}
		if (len <= 0)
			break;
		rec[len] = '\0';
		rec[strcspn(rec, "\n")] = '\0';
		msg = strchr(rec, ';');
		msg = msg ? msg + 1 : rec;
		for (p = msg; (q = strstr(p, "\\x0a")); p = q + 4) {
			*q = '\0';
			line(p);
		}
		line(p);
	}
	close(fd);
	return 0;
}

static void relay(struct suite *s)
{
	char name[96];
	int i;

	for (i = 0; i < s->ncases; i++) {
		struct kcase *c = &s->cases[i];
		char *d, *save;

		snprintf(name, sizeof(name), "%s %s", s->prefix, c->name);
		for (d = strtok_r(c->diag, "\n", &save); d; d = strtok_r(NULL, "\n", &save))
			ksft_print_msg("%s\n", d);
		if (c->skip)
			ktap_skip(name, "%s\n", c->reason);
		else
			ksft_test_result(c->ok, "%s\n", name);
	}
	ksft_print_msg("%s: %s, %d results of a plan of %d%s%s%s\n", s->kunit,
		       s->indent < 0 ? "not in the kernel log" : "found", s->ncases, s->plan,
		       s->indent < 0 || s->done ? "" : ", the suite did not end",
		       s->lost ? ", records were lost" : "",
		       s->overflow ? ", more results than this program keeps" : "");
	snprintf(name, sizeof(name), "%s suite", s->prefix);
	ksft_test_result(s->indent >= 0 && s->done && !s->lost && !s->overflow &&
			 s->ncases == s->plan, "%s\n", name);
}

int main(void)
{
	int i, points = 0;

	ksft_print_header();
	if (BITS == 32 && kernel_is_64bit()) {
		/* the log is the kernel's, not the process's: one relay per kernel */
		ksft_set_plan(1);
		ktap_skip("idt_audit relay", "audit-64 relays the kernel log of a 64-bit kernel\n");
		ksft_finished();
	}
	if (kconfig("CONFIG_IDTGEN_IDT_KUNIT_TEST") != 'y') {
		ksft_set_plan(1);
		ktap_skip("idt_audit suite", "the kernel has no CONFIG_IDTGEN_IDT_KUNIT_TEST\n");
		ksft_finished();
	}
	if (read_log())
		ksft_exit_fail_msg("/dev/kmsg: %s\n", strerror(errno));
	for (i = 0; i < NR_SUITES; i++)
		points += suites[i].ncases + 1;
	ksft_set_plan(points);
	for (i = 0; i < NR_SUITES; i++)
		relay(&suites[i]);
	ksft_finished();
}
