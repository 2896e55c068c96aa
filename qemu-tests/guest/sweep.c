// SPDX-License-Identifier: GPL-2.0
/*
 * sweep.c - the IDT gate security sweep: execute "int $n" from user space
 * for every n in 0..255 and check that exactly the gates the table marks
 * DPL 3 let it through.
 *
 * The expected set is not compiled in: /etc/idtgen/dpl3 lists it (one
 * decimal vector a line), written by the host from vectors.yaml. Each n is
 * one test point "sweep int_<n>", ok when the observation matches.
 *
 *   reached  n == 3:    SIGTRAP, trapno 3 (exc_int3)
 *            n == 4:    SIGSEGV, trapno 4 (exc_overflow)
 *            n == 0x80: the syscall ran: eax = getpid() (i386 __NR_getpid)
 *            other n:   a signal with trapno n, or a normal return
 *   blocked  the CPU refuses the gate (DPL 0 < CPL 3, or a zero descriptor)
 *            with #GP(IDT error code of n); traps.c exc_general_protection
 *            -> SIGSEGV, SI_KERNEL, trapno 13
 *
 * The IDT error code is (n << 3) | 2 (SDM: index, IDT bit) in legacy mode,
 * and on real hardware in long mode too. QEMU TCG in long mode reports
 * (n << 4) | 2 instead (do_interrupt64() uses the byte offset of the
 * 16-byte gate, intno * 16 + 2): measured on the stock 6.1 x86_64 kernel,
 * for 64-bit and 32-bit processes alike. Both encodings name n uniquely
 * for the int $n just executed, so both are accepted.
 */
#include "harness.h"

#include <sys/mman.h>

#define NR_VECTORS	256
#define STUB_SIZE	4
#define NR32_getpid	20
#define DPL3_FILE	"/etc/idtgen/dpl3"

static bool dpl3[NR_VECTORS];
static unsigned char *stubs;

static void read_dpl3(void)
{
	char buf[4096], *line, *save;
	long n;

	if (read_file(DPL3_FILE, buf, sizeof(buf)) < 0)
		ksft_exit_fail_msg("%s: %s\n", DPL3_FILE, strerror(errno));
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		line[strcspn(line, "#")] = '\0';
		if (!line[strspn(line, " \t\r")])
			continue;
		n = strtol(line, NULL, 10);
		if (n < 0 || n >= NR_VECTORS)
			ksft_exit_fail_msg("%s: bad vector '%s'\n", DPL3_FILE,
					   line);
		dpl3[n] = true;
	}
}

/* One "int $n; ret" stub per vector in an executable page. */
static void make_stubs(void)
{
	int n;

	stubs = mmap(NULL, NR_VECTORS * STUB_SIZE,
		     PROT_READ | PROT_WRITE | PROT_EXEC,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (stubs == MAP_FAILED)
		ksft_exit_fail_msg("mmap: %s\n", strerror(errno));
	for (n = 0; n < NR_VECTORS; n++) {
		unsigned char *s = stubs + n * STUB_SIZE;

		s[0] = 0xcd;	/* int imm8 */
		s[1] = (unsigned char)n;
		s[2] = 0xc3;	/* ret */
		s[3] = 0xcc;
	}
}

/* Call the stub with eax = i386 __NR_getpid, return eax. */
static CASE long case_int_n(void *stub)
{
	long ret;

#ifdef __x86_64__
	/* Step over the red zone: the call pushes onto the stack. */
	asm volatile("sub $128, %%rsp\n\t"
		     "call *%1\n\t"
		     "add $128, %%rsp"
		     : "=a"(ret) : "r"(stub), "0"((long)NR32_getpid)
		     : "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11",
		       "memory", "cc");
#else
	asm volatile("call *%1"
		     : "=a"(ret) : "r"(stub), "0"((long)NR32_getpid)
		     : "ecx", "edx", "memory", "cc");
#endif
	return ret;
}

enum verdict { BLOCKED, REACHED, OTHER };

static const char *const verdict_name[] = { "blocked", "reached", "other" };

static bool idt_gp(int n, const struct obs *o)
{
	return o->err == ((n << 3) | 2) || o->err == ((n << 4) | 2);
}

static enum verdict classify(int n, const struct obs *o)
{
	if (o->kind == OBS_SIGNAL && o->signo == SIGSEGV &&
	    o->code == SI_KERNEL && o->trapno == X86_TRAP_GP && idt_gp(n, o))
		return BLOCKED;
	if (n == 0x80)
		return o->kind == OBS_RETURN && o->value == o->pid ?
		       REACHED : OTHER;
	if (n == X86_TRAP_BP)
		return o->kind == OBS_SIGNAL && o->signo == SIGTRAP &&
		       o->trapno == n ? REACHED : OTHER;
	if (n == X86_TRAP_OF)
		return o->kind == OBS_SIGNAL && o->signo == SIGSEGV &&
		       o->trapno == n ? REACHED : OTHER;
	if (o->kind == OBS_RETURN ||
	    (o->kind == OBS_SIGNAL && o->trapno == n))
		return REACHED;
	return OTHER;
}

static void sweep_one(int n)
{
	enum verdict want = dpl3[n] ? REACHED : BLOCKED;
	enum verdict got;
	struct obs o;
	char name[32];

	snprintf(name, sizeof(name), "sweep int_%d", n);
	run_case(case_int_n, stubs + n * STUB_SIZE, &o);
	got = classify(n, &o);
	/* a vector that returns is a software interrupt with a handler: say what it left in eax */
	if (o.kind == OBS_RETURN && n != 0x80)
		ksft_print_msg("int_%d returned, eax=0x%lx\n", n, (unsigned long)o.value);
	if (got != want) {
		obs_print(name, &o);
		ksft_print_msg("  %s, expected %s\n", verdict_name[got],
			       verdict_name[want]);
	}
	ksft_test_result(got == want, "%s\n", name);
}

int main(void)
{
	int n, nr_dpl3 = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	ksft_print_header();
	read_dpl3();
	make_stubs();
	ksft_set_plan(NR_VECTORS);
	for (n = 0; n < NR_VECTORS; n++)
		nr_dpl3 += dpl3[n];
	ksft_print_msg("sweep-%d on a %s kernel, %d DPL 3 vectors expected\n",
		       BITS, kernel_machine(), nr_dpl3);
	for (n = 0; n < NR_VECTORS; n++)
		sweep_one(n);
	ksft_finished();
	return 0;
}
