// SPDX-License-Identifier: GPL-2.0
/*
 * init.c - /init of the idtgen boot-test initramfs.
 *
 * Mounts the pseudo file systems, moves its output to /dev/ttyS1 (the
 * second serial port, which the host captures apart from the kernel
 * console on ttyS0), runs the test programs of /tests named by
 * idtgen.tests= (default: all, sorted), framing each one with
 * "# idtgen: begin/end" markers, optionally triggers an in-kernel crash
 * (idtgen.mode=crash-*), then reboots; QEMU runs with -no-reboot, so the
 * VM exits. Each program's run and the crash are also marked in the
 * emulator's interrupt log (mark()). Bochs has no -no-reboot: with idtgen.exit=bochs /init drains
 * both serial ports and writes "Shutdown" to Bochs' port 0x8900 instead.
 * The contract with the host is in qemu-tests/README.md.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <sys/io.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#define TESTS_DIR	"/tests"
#define TEST_PORT	"/dev/ttyS1"
#define LKDTM_DIRECT	"/sys/kernel/debug/provoke-crash/DIRECT"
#define MAX_TESTS	64
#define CMDLINE_MAX	4096

static unsigned int test_timeout = 120;	/* seconds, idtgen.timeout= */
static char mode[64] = "normal";		/* idtgen.mode= */
static char *test_list;			/* idtgen.tests=, NULL: all */
static char exit_via[16] = "reboot";	/* idtgen.exit=: reboot or bochs */
static char out_via[16] = "ttyS1";	/* idtgen.out=: ttyS1 or e9 (Bochs) */

static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("# idtgen: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	fflush(stdout);
}

static void mount_one(const char *src, const char *dir, const char *type)
{
	mkdir(dir, 0755);
	if (mount(src, dir, type, 0, NULL) && errno != EBUSY)
		fprintf(stderr, "idtgen init: mount %s on %s: %s\n",
			type, dir, strerror(errno));
}

static void mount_all(void)
{
	mount_one("proc", "/proc", "proc");
	mount_one("sysfs", "/sys", "sysfs");
	mount_one("devtmpfs", "/dev", "devtmpfs");
	/* debugfs is optional: ENODEV without CONFIG_DEBUG_FS. */
	if (access("/sys/kernel/debug", F_OK) == 0 &&
	    mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL) &&
	    errno != EBUSY && errno != ENODEV)
		fprintf(stderr, "idtgen init: mount debugfs: %s\n",
			strerror(errno));
}

/* Raw mode: the host sees exactly the bytes the tests write (no \r\n). */
static void set_raw(int fd)
{
	struct termios t;

	if (tcgetattr(fd, &t))
		return;
	cfmakeraw(&t);
	cfsetispeed(&t, B115200);
	cfsetospeed(&t, B115200);
	tcsetattr(fd, TCSANOW, &t);
}

/*
 * Bochs' port 0xE9 hack (port_e9_hack in the bochsrc): every byte written to
 * I/O port 0xE9 goes straight to the emulator's standard output. Under Bochs
 * the test stream takes this way instead of ttyS1 (idtgen.out=e9): there
 * ttyS1 loses its transmit interrupt partway through the traps program,
 * through the IDT and through FRED alike (measured 2026-12-02), and the
 * stream stops while the guest runs on. A relay process copies a pipe, the
 * programs' stdout and stderr, to the port byte by byte.
 */
#define BOCHS_E9_PORT	0xe9

static long long now_ms(void);
static void sleep_20ms(void);

static pid_t relay_pid = -1;

static int setup_e9(void)
{
	char buf[4096];
	ssize_t n, i;
	int p[2];

	if (pipe(p))
		return errno;
	relay_pid = fork();
	if (relay_pid < 0)
		return errno;
	if (relay_pid == 0) {
		close(p[1]);
		if (ioperm(BOCHS_E9_PORT, 1, 1))
			_exit(1);
		while ((n = read(p[0], buf, sizeof(buf))) > 0)
			for (i = 0; i < n; i++)
				outb(buf[i], BOCHS_E9_PORT);
		_exit(0);
	}
	close(p[0]);
	dup2(p[1], STDOUT_FILENO);
	dup2(p[1], STDERR_FILENO);
	close(p[1]);
	return 0;
}

/* Lets the relay copy what is left: closes the pipe, waits up to 2 s for it. */
static void finish_e9(void)
{
	long long deadline = now_ms() + 2000;
	int null = open("/dev/null", O_WRONLY);

	if (relay_pid <= 0)
		return;
	fflush(stdout);
	fflush(stderr);
	dup2(null, STDOUT_FILENO);
	dup2(null, STDERR_FILENO);
	while (now_ms() < deadline && waitpid(relay_pid, NULL, WNOHANG) == 0)
		sleep_20ms();
}

static void setup_output(void)
{
	int fd;
	int err = -1;

	if (!strcmp(out_via, "e9")) {
		err = setup_e9();
		if (err)
			fprintf(stderr, "idtgen init: port 0xE9 relay: %s, using %s\n",
				strerror(err), TEST_PORT);
	}
	if (err) {
		fd = open(TEST_PORT, O_RDWR | O_NOCTTY);
		if (fd < 0) {
			fprintf(stderr, "idtgen init: open %s: %s, staying on the console\n",
				TEST_PORT, strerror(errno));
			return;
		}
		set_raw(fd);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0 && fd != STDIN_FILENO) {
		dup2(fd, STDIN_FILENO);
		close(fd);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
}

static void parse_option(char *tok)
{
	if (!strncmp(tok, "idtgen.tests=", 13))
		test_list = strdup(tok + 13);
	else if (!strncmp(tok, "idtgen.mode=", 12))
		snprintf(mode, sizeof(mode), "%s", tok + 12);
	else if (!strncmp(tok, "idtgen.timeout=", 15))
		test_timeout = strtoul(tok + 15, NULL, 10);
	else if (!strncmp(tok, "idtgen.exit=", 12))
		snprintf(exit_via, sizeof(exit_via), "%s", tok + 12);
	else if (!strncmp(tok, "idtgen.out=", 11))
		snprintf(out_via, sizeof(out_via), "%s", tok + 11);
}

/*
 * Bochs' shutdown port: writing "Shutdown" to I/O port 0x8900 ends the
 * emulator. reboot() would only restart the machine (BIOS, GRUB, the kernel
 * again). The serial ports are drained first, or their last lines are lost.
 */
#define BOCHS_SHUTDOWN_PORT	0x8900

static void bochs_shutdown(void)
{
	static const char *const ports[] = { "/dev/ttyS0", TEST_PORT };
	static const char cmd[] = "Shutdown";
	struct timespec ts = { 0, 200 * 1000 * 1000 };
	size_t i;
	int fd;

	fflush(stdout);
	for (i = 0; i < sizeof(ports) / sizeof(ports[0]); i++) {
		fd = open(ports[i], O_WRONLY | O_NOCTTY);
		if (fd >= 0) {
			tcdrain(fd);
			close(fd);
		}
	}
	nanosleep(&ts, NULL);
	if (ioperm(BOCHS_SHUTDOWN_PORT, 1, 1)) {
		say("bochs shutdown: ioperm: %s", strerror(errno));
		return;
	}
	for (i = 0; i < sizeof(cmd) - 1; i++)
		outb(cmd[i], BOCHS_SHUTDOWN_PORT);
}

static void parse_cmdline(void)
{
	static char buf[CMDLINE_MAX];
	char *tok, *save;
	ssize_t n;
	int fd;

	fd = open("/proc/cmdline", O_RDONLY);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	for (tok = strtok_r(buf, " \t\n", &save); tok;
	     tok = strtok_r(NULL, " \t\n", &save))
		parse_option(tok);
	if (!test_timeout)
		test_timeout = 120;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_all(char **names)
{
	struct dirent *de;
	int n = 0;
	DIR *d;

	d = opendir(TESTS_DIR);
	if (!d)
		return 0;
	while ((de = readdir(d)) && n < MAX_TESTS) {
		if (de->d_name[0] == '.')
			continue;
		names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	return n;
}

static int list_selected(char **names)
{
	char *tok, *save;
	int n = 0;

	for (tok = strtok_r(test_list, ",", &save); tok && n < MAX_TESTS;
	     tok = strtok_r(NULL, ",", &save))
		if (*tok)
			names[n++] = tok;
	return n;
}

/* Exit code as a shell reports it: the status, or 128 + the signal. */
static int exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 255;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * 32-bit glibc's nanosleep() uses the time32 syscall, missing without
 * CONFIG_COMPAT_32BIT_TIME (tinyconfig): call clock_nanosleep_time64.
 */
static void sleep_20ms(void)
{
#ifdef __x86_64__
	struct timespec ts = { 0, 20 * 1000000L };

	nanosleep(&ts, NULL);
#else
	struct { long long sec, nsec; } ts = { 0, 20 * 1000000LL };

	syscall(SYS_clock_nanosleep_time64, CLOCK_MONOTONIC, 0, &ts, NULL);
#endif
}

/*
 * Wait for @pid, reaping orphans too (we are pid 1); SIGKILL its process
 * group after @timeout seconds. alarm() cannot do this: the tiny kernel
 * has no CONFIG_POSIX_TIMERS (alarm and setitimer are ENOSYS), so poll.
 */
static int wait_child(pid_t pid, const char *name, unsigned int timeout)
{
	long long deadline = now_ms() + timeout * 1000LL;
	int status = 0;
	pid_t got;

	for (;;) {
		got = waitpid(-1, &status, WNOHANG);
		if (got == pid || (got < 0 && errno == ECHILD))
			break;
		if (got > 0)
			continue;
		if (deadline && now_ms() > deadline) {
			say("timeout %s after %us", name, timeout);
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			deadline = 0;
		}
		sleep_20ms();
	}
	return exit_code(status);
}

/*
 * Marks in the emulator's interrupt log (QEMU's -d int), so that the host
 * can tell which vectors each program entered: int $0x80 with a system call
 * number no kernel has, MARK_MAGIC | index << 1 | end, which returns -ENOSYS
 * and shows in the log as "v=80 ... i=1" with that EAX. index is the
 * program's place in the run (0 for the first), MARK_CRASH the crash of a
 * crash boot, MARK_INIT the probe: a child makes the first mark, and only if
 * it lives are marks made (a 64-bit /init needs IA32_EMULATION for int $0x80;
 * without it the child dies of SIGSEGV, and so would pid 1).
 */
#define MARK_MAGIC	0x1d700000u
#define MARK_CRASH	0x7fff
#define MARK_INIT	0x7ffe

static int marks_on;

static void mark_raw(unsigned int index, unsigned int end)
{
	unsigned long ax = MARK_MAGIC | index << 1 | end;

#ifdef __x86_64__
	asm volatile("int $0x80" : "+a"(ax) : : "r8", "r9", "r10", "r11",
		     "cc", "memory");
#else
	asm volatile("int $0x80" : "+a"(ax) : : "cc", "memory");
#endif
}

static void mark(unsigned int index, unsigned int end)
{
	if (marks_on)
		mark_raw(index, end);
}

static void probe_marks(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		mark_raw(MARK_INIT, 0);
		_exit(0);
	}
	marks_on = pid > 0 && waitpid(pid, &status, 0) == pid &&
		   WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void run_test(const char *name, unsigned int index)
{
	char path[256];
	int status;
	pid_t pid;

	snprintf(path, sizeof(path), TESTS_DIR "/%s", name);
	mark(index, 0);
	say("begin %s", name);
	pid = fork();
	if (pid == 0) {
		char *argv[] = { path, NULL };
		char *envp[] = { "PATH=/tests", "HOME=/", NULL };

		setpgid(0, 0);
		execve(path, argv, envp);
		printf("Bail out! exec %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	if (pid < 0) {
		printf("Bail out! fork: %s\n", strerror(errno));
		mark(index, 1);
		say("end %s exit=255", name);
		return;
	}
	status = wait_child(pid, name, test_timeout);
	mark(index, 1);
	say("end %s exit=%d", name, status);
}

static const char *crash_lkdtm_type(void)
{
	struct utsname u;

	if (!strcmp(mode, "crash-bug"))
		return "BUG";
	if (strcmp(mode, "crash-df"))
		return NULL;
	/* x86_64: overflow into the VMAP_STACK guard page, #PF -> #DF. */
	if (!uname(&u) && !strcmp(u.machine, "x86_64"))
		return "EXHAUST_STACK";
	/* i386: a zero-limit %ss, #SS while delivering #SS -> #DF task gate. */
	return "DOUBLE_FAULT";
}

static void lkdtm_write(const char *type)
{
	int fd = open(LKDTM_DIRECT, O_WRONLY);

	if (fd < 0 || write(fd, type, strlen(type)) < 0)
		_exit(100 + (errno & 0x7f));
	_exit(0);
}

/* The host injects a fatal #MC; a kernel that survives it says so. */
static void crash_mce(void)
{
	int i;

	say("crash %s triggering host mce-fatal", mode);
	say("inject mce-fatal");
	for (i = 0; i < 500; i++)	/* 10 s */
		sleep_20ms();
	say("crash %s survived", mode);
}

/* Trigger the crash in a child: an oops kills the child, not init. */
static void crash(void)
{
	const char *type = crash_lkdtm_type();
	pid_t pid;

	if (!strcmp(mode, "crash-mce")) {
		crash_mce();
		return;
	}
	if (!type) {
		say("crash %s unknown mode", mode);
		return;
	}
	if (access(LKDTM_DIRECT, W_OK)) {
		say("crash %s unavailable: %s: %s", mode, LKDTM_DIRECT,
		    strerror(errno));
		return;
	}
	say("crash %s triggering %s", mode, type);
	sync();
	pid = fork();
	if (pid == 0)
		lkdtm_write(type);
	if (pid > 0)
		say("crash %s survived exit=%d", mode,
		    wait_child(pid, "crash", 60));
}

int main(void)
{
	char *names[MAX_TESTS];
	int i, n;

	probe_marks();
	mount_all();
	parse_cmdline();
	setup_output();
	say("init mode=%s tests=%s timeout=%u", mode,
	    test_list ? test_list : "(all)", test_timeout);

	if (test_list)
		n = list_selected(names);
	else if (!strcmp(mode, "normal"))
		n = list_all(names);
	else
		n = 0;	/* crash boots run only what idtgen.tests= names */
	for (i = 0; i < n; i++)
		run_test(names[i], i);

	if (strcmp(mode, "normal")) {
		mark(MARK_CRASH, 0);
		crash();
		mark(MARK_CRASH, 1);
	}

	say("done");
	sync();
	finish_e9();
	if (!strcmp(exit_via, "bochs"))
		bochs_shutdown();
	reboot(RB_AUTOBOOT);
	for (;;)
		pause();
}
