/* SPDX-License-Identifier: GPL-2.0 */
/*
 * harness.h - shared helpers of the idtgen guest test programs.
 *
 * Every case that provokes an exception runs in a forked child with a
 * SA_SIGINFO handler; the handler sends what it saw (signal, si_code,
 * si_addr, and from the ucontext the trap number, error code and ip) to
 * the parent through a pipe and exits. The parent compares that
 * observation with what the stock kernel does and reports a KTAP test
 * point through kselftest.h.
 *
 * Header-only, like kselftest.h: its counters are static, so every
 * ksft_test_result*() of a program must be compiled in one unit.
 */
#ifndef IDTGEN_HARNESS_H
#define IDTGEN_HARNESS_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "kselftest.h"

/* arch/x86/include/asm/trapnr.h */
enum {
	X86_TRAP_DE = 0, X86_TRAP_DB = 1, X86_TRAP_NMI = 2, X86_TRAP_BP = 3,
	X86_TRAP_OF = 4, X86_TRAP_BR = 5, X86_TRAP_UD = 6, X86_TRAP_NM = 7,
	X86_TRAP_DF = 8, X86_TRAP_TS = 10, X86_TRAP_NP = 11, X86_TRAP_SS = 12,
	X86_TRAP_GP = 13, X86_TRAP_PF = 14, X86_TRAP_MF = 16,
	X86_TRAP_AC = 17, X86_TRAP_MC = 18, X86_TRAP_XF = 19,
};

/* arch/x86/include/asm/trap_pf.h */
#define X86_PF_PROT	(1 << 0)
#define X86_PF_WRITE	(1 << 1)
#define X86_PF_USER	(1 << 2)

#define ANY		(-1L)	/* struct expect: do not check this field */
#define CASE_TIMEOUT_MS	10000

#ifdef __x86_64__
#define BITS		64
#else
#define BITS		32
#endif

/* A global asm label, to compare ucontext ip / si_addr with. */
#define ASM_LABEL(name)	".globl " #name "\n" #name ":\n\t"
#define CASE		__attribute__((noinline, noclone))

enum obs_kind {
	OBS_NONE,	/* the child died without reporting (see status) */
	OBS_SIGNAL,	/* the child's handler caught a signal */
	OBS_RETURN,	/* the case function returned (value) */
	OBS_TIMEOUT,	/* killed after CASE_TIMEOUT_MS */
};

struct obs {
	int kind;
	int signo;
	int code;		/* si_code */
	int status;		/* wait status of the child */
	pid_t pid;		/* the child */
	unsigned long addr;	/* si_addr */
	unsigned long ip;	/* ucontext: user ip at delivery */
	long trapno;		/* ucontext: REG_TRAPNO */
	long err;		/* ucontext: REG_ERR */
	long value;		/* OBS_RETURN: what the case returned */
	int df_handler;		/* EFLAGS.DF when the handler started (must be 0) */
	int df_saved;		/* EFLAGS.DF of the interrupted context (ucontext) */
};

struct expect {
	int signo;
	int code;
	long trapno;		/* or ANY */
	long err;		/* or ANY */
	unsigned long ip;	/* 0: do not check */
	unsigned long addr;	/* si_addr, when check_addr */
	bool check_addr;
};

typedef long (*case_fn)(void *arg);

/* /proc/interrupts */
#define IRQ_MAX_CPUS	8
#define IRQ_MAX_LINES	96

struct irq_line {
	char key[16];		/* "LOC", "NMI", "3", ... */
	char desc[80];		/* the rest of the line */
	unsigned long long count[IRQ_MAX_CPUS];
};

struct irq_table {
	int ncpus;
	int nlines;
	struct irq_line line[IRQ_MAX_LINES];
};

#ifdef __x86_64__
#define UC_IP(uc)	((uc)->uc_mcontext.gregs[REG_RIP])
#else
#define UC_IP(uc)	((uc)->uc_mcontext.gregs[REG_EIP])
#endif

static inline long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * 32-bit glibc sleeps with the time32 syscalls, which a kernel without
 * CONFIG_COMPAT_32BIT_TIME (tinyconfig) lacks: use clock_nanosleep_time64.
 */
static inline void sleep_ms(unsigned int ms)
{
#ifdef __x86_64__
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
#else
	struct { long long sec, nsec; } ts = { ms / 1000,
					       (ms % 1000) * 1000000LL };

	while (syscall(SYS_clock_nanosleep_time64, CLOCK_MONOTONIC, 0,
		       &ts, &ts) && errno == EINTR)
		;
#endif
}

/*
 * A skipped test point in KTAP's form, "ok N NAME # SKIP REASON", so that
 * the name stays a name: kselftest.h's ksft_test_result_skip() prints
 * "ok N # SKIP MSG" with no name field. Counts like it.
 */
static inline void ktap_skip(const char *name, const char *fmt, ...)
{
	va_list ap;

	ksft_inc_xskip_cnt();
	printf("ok %u %s # SKIP ", ksft_test_num(), name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

/*
 * Ask the host to inject @what ("nmi", "mce"): it watches ttyS1 for this
 * line and answers through the QEMU monitor (README.md).
 */
static inline void request_inject(const char *what)
{
	printf("# idtgen: inject %s\n", what);
	fflush(stdout);
}

static inline int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	if (n < 0)
		n = -errno;
	close(fd);
	return n < 0 ? (int)n : 0;
}

/* Read a whole (small) file, NUL-terminated; returns its length or -1. */
static inline int read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	size_t len = 0;
	ssize_t n;

	if (fd < 0)
		return -1;
	while (len < size - 1 &&
	       (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	return (int)len;
}

static int obs_fd = -1;
static char altstack[65536];

#define X86_EFLAGS_DF	0x400

static void on_signal(int sig, siginfo_t *si, void *ctx)
{
	unsigned long flags;
	ucontext_t *uc = ctx;

	/* first: the flags this handler was entered with */
	asm volatile("pushf\n\tpop %0" : "=r"(flags));
	struct obs o = {
		.kind = OBS_SIGNAL,
		.signo = sig,
		.code = si->si_code,
		.addr = (unsigned long)si->si_addr,
		.ip = (unsigned long)UC_IP(uc),
		.trapno = (long)uc->uc_mcontext.gregs[REG_TRAPNO],
		.err = (long)uc->uc_mcontext.gregs[REG_ERR],
		.df_handler = !!(flags & X86_EFLAGS_DF),
		.df_saved = !!(uc->uc_mcontext.gregs[REG_EFL] & X86_EFLAGS_DF),
	};

	if (write(obs_fd, &o, sizeof(o)) != sizeof(o))
		_exit(2);
	_exit(0);
}

static inline void child_setup(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP };
	struct sigaction sa = { .sa_sigaction = on_signal };
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	unsigned int i;

	sigaltstack(&ss, NULL);
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

static inline void child_run(case_fn fn, void *arg)
{
	struct obs o = { .kind = OBS_RETURN };

	child_setup();
	o.value = fn(arg);
	if (write(obs_fd, &o, sizeof(o)) != sizeof(o))
		_exit(2);
	_exit(0);
}

/* Read the child's report; SIGKILL it when it takes too long. */
static inline void parent_collect(int fd, pid_t pid, struct obs *o)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;
	int r;

	do {
		r = poll(&p, 1, CASE_TIMEOUT_MS);
	} while (r < 0 && errno == EINTR);
	if (r == 0) {
		kill(pid, SIGKILL);
		o->kind = OBS_TIMEOUT;
	} else {
		n = read(fd, o, sizeof(*o));
		if (n != sizeof(*o))
			o->kind = OBS_NONE;
	}
	while (waitpid(pid, &o->status, 0) < 0 && errno == EINTR)
		;
	o->pid = pid;
}

static inline void run_case(case_fn fn, void *arg, struct obs *o)
{
	int fds[2];
	pid_t pid;

	memset(o, 0, sizeof(*o));
	if (pipe(fds))
		ksft_exit_fail_msg("pipe: %s\n", strerror(errno));
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		ksft_exit_fail_msg("fork: %s\n", strerror(errno));
	if (pid == 0) {
		close(fds[0]);
		obs_fd = fds[1];
		child_run(fn, arg);
	}
	close(fds[1]);
	parent_collect(fds[0], pid, o);
	close(fds[0]);
}

static inline const char *sig_name(int sig)
{
	switch (sig) {
	case SIGSEGV: return "SIGSEGV";
	case SIGBUS: return "SIGBUS";
	case SIGILL: return "SIGILL";
	case SIGFPE: return "SIGFPE";
	case SIGTRAP: return "SIGTRAP";
	case SIGKILL: return "SIGKILL";
	case 0: return "none";
	}
	return "other";
}

static inline const char *code_name(int sig, int code)
{
	if (code == SI_KERNEL)
		return "SI_KERNEL";
	if (code == SI_USER)
		return "SI_USER";
	switch (sig) {
	case SIGSEGV:
		return code == SEGV_MAPERR ? "SEGV_MAPERR" :
		       code == SEGV_ACCERR ? "SEGV_ACCERR" : "?";
	case SIGILL:
		return code == ILL_ILLOPN ? "ILL_ILLOPN" :
		       code == ILL_ILLOPC ? "ILL_ILLOPC" : "?";
	case SIGFPE:
		return code == FPE_INTDIV ? "FPE_INTDIV" :
		       code == FPE_FLTDIV ? "FPE_FLTDIV" :
		       code == FPE_FLTINV ? "FPE_FLTINV" : "?";
	case SIGTRAP:
		return code == TRAP_BRKPT ? "TRAP_BRKPT" :
		       code == TRAP_TRACE ? "TRAP_TRACE" :
		       code == TRAP_HWBKPT ? "TRAP_HWBKPT" : "?";
	}
	return "?";
}

static inline void obs_print(const char *what, const struct obs *o)
{
	switch (o->kind) {
	case OBS_SIGNAL:
		ksft_print_msg("%s: %s (%d) si_code %s (%d) trapno %ld err %#lx si_addr %#lx ip %#lx\n",
			       what, sig_name(o->signo), o->signo,
			       code_name(o->signo, o->code), o->code,
			       o->trapno, o->err, o->addr, o->ip);
		break;
	case OBS_RETURN:
		ksft_print_msg("%s: returned %ld (no signal)\n", what, o->value);
		break;
	case OBS_TIMEOUT:
		ksft_print_msg("%s: timed out after %d ms, killed\n", what,
			       CASE_TIMEOUT_MS);
		break;
	default:
		ksft_print_msg("%s: child died without report, wait status %#x\n",
			       what, o->status);
	}
}

static inline bool check_long(const char *field, long got, long want)
{
	if (want == ANY || got == want)
		return true;
	ksft_print_msg("  %s: got %#lx, expected %#lx\n", field, got, want);
	return false;
}

static inline bool obs_matches(const struct obs *o, const struct expect *e)
{
	bool ok = true;

	if (o->kind != OBS_SIGNAL) {
		ksft_print_msg("  expected %s, got no signal\n",
			       sig_name(e->signo));
		return false;
	}
	ok &= check_long("signal", o->signo, e->signo);
	ok &= check_long("si_code", o->code, e->code);
	ok &= check_long("trapno", o->trapno, e->trapno);
	ok &= check_long("err", o->err, e->err);
	if (e->ip)
		ok &= check_long("ip", o->ip, e->ip);
	if (e->check_addr)
		ok &= check_long("si_addr", o->addr, e->addr);
	return ok;
}

static inline void check_case(const char *name, case_fn fn, void *arg,
			      const struct expect *e)
{
	struct obs o;
	bool ok;

	run_case(fn, arg, &o);
	obs_print(name, &o);
	ok = obs_matches(&o, e);
	ksft_test_result(ok, "%s\n", name);
}

static inline const char *kernel_machine(void)
{
	static struct utsname u;

	if (!u.machine[0] && uname(&u))
		return "unknown";
	return u.machine;
}

static inline bool kernel_is_64bit(void)
{
	return !strcmp(kernel_machine(), "x86_64");
}

static inline int pin_to_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

static inline int online_cpus(void)
{
	return (int)sysconf(_SC_NPROCESSORS_ONLN);
}

/* Parse one /proc/interrupts line: "KEY: c0 c1 ... description". */
static inline void irq_parse_line(struct irq_table *t, char *s)
{
	struct irq_line *l = &t->line[t->nlines];
	char *colon = strchr(s, ':');
	char *p, *end;
	int cpu;

	if (!colon || t->nlines >= IRQ_MAX_LINES)
		return;
	*colon = '\0';
	while (isspace((unsigned char)*s))
		s++;
	memset(l, 0, sizeof(*l));
	snprintf(l->key, sizeof(l->key), "%s", s);
	p = colon + 1;
	for (cpu = 0; cpu < t->ncpus && cpu < IRQ_MAX_CPUS; cpu++) {
		unsigned long long v = strtoull(p, &end, 10);

		if (end == p)
			break;
		l->count[cpu] = v;
		p = end;
	}
	while (isspace((unsigned char)*p))
		p++;
	snprintf(l->desc, sizeof(l->desc), "%s", p);
	t->nlines++;
}

static inline int irq_read(struct irq_table *t)
{
	static char buf[16384];
	char *line, *save, *p;
	int n;

	memset(t, 0, sizeof(*t));
	n = read_file("/proc/interrupts", buf, sizeof(buf));
	if (n <= 0)
		return -1;
	line = strtok_r(buf, "\n", &save);
	for (p = line; p && (p = strstr(p, "CPU")); p += 3)
		t->ncpus++;
	while ((line = strtok_r(NULL, "\n", &save)))
		irq_parse_line(t, line);
	return 0;
}

static inline const struct irq_line *irq_find(const struct irq_table *t,
					       const char *key)
{
	int i;

	for (i = 0; i < t->nlines; i++)
		if (!strcmp(t->line[i].key, key))
			return &t->line[i];
	return NULL;
}

/* @cpu < 0: the sum over all CPUs */
static inline unsigned long long irq_count(const struct irq_table *t,
					   const char *key, int cpu)
{
	const struct irq_line *l = irq_find(t, key);
	unsigned long long sum = 0;
	int i;

	if (!l)
		return 0;
	if (cpu >= 0)
		return cpu < IRQ_MAX_CPUS ? l->count[cpu] : 0;
	for (i = 0; i < t->ncpus && i < IRQ_MAX_CPUS; i++)
		sum += l->count[i];
	return sum;
}

static inline int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/*
 * Read the records logged since kmsg_open() (or the last call); true when
 * one contains any of @needles, copied to @line.
 */
static inline bool kmsg_find(int fd, const char *const *needles, int n,
			     char *line, size_t size)
{
	char rec[1024], *msg;
	ssize_t len;
	int i;

	for (;;) {
		len = read(fd, rec, sizeof(rec) - 1);
		if (len < 0 && errno == EPIPE)
			continue;	/* overwritten records: go on */
		if (len <= 0)
			return false;
		rec[len] = '\0';
		msg = strchr(rec, ';');
		msg = msg ? msg + 1 : rec;
		for (i = 0; i < n; i++) {
			if (!strstr(msg, needles[i]))
				continue;
			len = (ssize_t)strcspn(msg, "\n");
			if ((size_t)len >= size)
				len = (ssize_t)size - 1;
			memcpy(line, msg, len);
			line[len] = '\0';
			return true;
		}
	}
}

static inline char kconfig(const char *option)
{
	static char buf[1 << 20];
	static int len = -1;
	char pat[128], *p;

	if (len < 0)
		len = read_file("/etc/idtgen/kconfig", buf, sizeof(buf));
	if (len <= 0)
		return 0;
	snprintf(pat, sizeof(pat), "\n%s=", option);
	p = strstr(buf, pat);
	if (p)
		return p[strlen(pat)];
	return 'n';
}

#endif
