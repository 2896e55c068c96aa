// SPDX-License-Identifier: GPL-2.0
/*
 * traps.c - provoke the CPU exceptions user space can raise under QEMU TCG
 * and check that each one reaches its IDT entry: the signal, si_code,
 * si_addr, and the trap number / error code the kernel stores in the
 * signal frame (thread.trap_nr / thread.error_code) must be what the stock
 * Linux 6.1 kernel produces. Test point names: "<C handler> <case>".
 *
 * Built twice: 64-bit (traps-64) and 32-bit (traps-32); both report the
 * same test points, the mode-specific ones as skips on the other build.
 */
#include "harness.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <asm/ldt.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>

#define PAGE		4096
#define NR_TESTS	29

/* i386 syscall numbers: int $0x80 always uses the 32-bit table. */
#define NR32_getpid	20

/* The asm labels of the instructions that fault or trap. */
extern const char idiv_insn[], ss_after[], int3_after[], int_3_after[];
extern const char int_4_after[], ud2_insn[], hlt_insn[], ldt_ds_insn[];
extern const char ldt_ss_insn[], fwait_insn[], ac_insn[];
extern const char df_idiv_insn[], df_ud2_insn[], df_int3_after[], df_hlt_insn[];
extern const char df_read_insn[], read_insn[];
#ifdef __x86_64__
extern const char noncanon_insn[], divss_insn[];
#else
extern const char into_after[], bound_insn[];
#endif

#define UL(x)	((unsigned long)(x))

/* ---- #DE ---- */

static CASE long case_idiv(void *arg)
{
	(void)arg;
	asm volatile("xor %%edx, %%edx\n\t"
		     "mov $1, %%eax\n\t"
		     "xor %%ecx, %%ecx\n\t"
		     ASM_LABEL(idiv_insn)
		     "idivl %%ecx\n\t"
		     ::: "eax", "ecx", "edx", "memory");
	return 0;
}

/* traps.c exc_divide_error: do_error_trap(SIGFPE, FPE_INTDIV, ip) */
static void test_divide_error(void)
{
	struct expect e = {
		.signo = SIGFPE, .code = FPE_INTDIV, .trapno = X86_TRAP_DE,
		.err = 0, .ip = UL(idiv_insn),
		.check_addr = true, .addr = UL(idiv_insn),
	};

	check_case("exc_divide_error idiv", case_idiv, NULL, &e);
}

/* ---- #DB ---- */

#ifdef __x86_64__
#define SET_TF	"pushf\n\torq $0x100, (%%rsp)\n\tpopf\n\t"
#else
#define SET_TF	"pushf\n\torl $0x100, (%%esp)\n\tpopf\n\t"
#endif

/* TF set by popf traps after the instruction that follows popf. */
static CASE long case_single_step(void *arg)
{
	(void)arg;
	asm volatile(SET_TF
		     "nop\n\t"
		     ASM_LABEL(ss_after)
		     "nop\n\t"
		     ::: "memory", "cc");
	return 0;
}

/* traps.c exc_debug_user: send_sigtrap(regs, 0, TRAP_TRACE): si_addr = ip */
static void test_single_step(void)
{
	struct expect e = {
		.signo = SIGTRAP, .code = TRAP_TRACE, .trapno = X86_TRAP_DB,
		.err = 0, .ip = UL(ss_after),
		.check_addr = true, .addr = UL(ss_after),
	};

	check_case("exc_debug single_step", case_single_step, NULL, &e);
}

static __attribute__((noinline)) int hwbp_target(int x)
{
	asm volatile("" : "+r"(x));
	return x + 1;
}

static void hwbp_child(void)
{
	ptrace(PTRACE_TRACEME, 0, NULL, NULL);
	raise(SIGSTOP);
	hwbp_target(1);
	_exit(0);
}

#define DR_OFF(n)	offsetof(struct user, u_debugreg[n])

/* DR0 = hwbp_target, DR7 = L0, execute, 1 byte. */
static int hwbp_arm(pid_t pid)
{
	if (ptrace(PTRACE_POKEUSER, pid, DR_OFF(0), (void *)hwbp_target))
		return -errno;
	if (ptrace(PTRACE_POKEUSER, pid, DR_OFF(7), (void *)1UL))
		return -errno;
	return 0;
}

static bool hwbp_check(pid_t pid, int status)
{
	siginfo_t si = { 0 };
	unsigned long dr6;
	bool ok;

	if (!WIFSTOPPED(status) || WSTOPSIG(status) != SIGTRAP) {
		ksft_print_msg("  tracee: wait status %#x, expected a SIGTRAP stop\n",
			       status);
		return false;
	}
	ptrace(PTRACE_GETSIGINFO, pid, NULL, &si);
	errno = 0;
	dr6 = ptrace(PTRACE_PEEKUSER, pid, DR_OFF(6), NULL);
	ksft_print_msg("exc_debug hw_breakpoint: SIGTRAP si_code %s (%d) si_addr %p dr6 %#lx\n",
		       code_name(SIGTRAP, si.si_code), si.si_code,
		       si.si_addr, dr6);
	ok = si.si_code == TRAP_HWBKPT &&
	     si.si_addr == (void *)hwbp_target && !errno && (dr6 & 1);
	return ok;
}

/*
 * traps.c exc_debug_user: DR6.B0 comes from ptrace_triggered()
 * (virtual_dr6), get_si_code() -> TRAP_HWBKPT, si_addr = ip.
 */
static void test_hw_breakpoint(void)
{
	bool ok = false;
	int status, err;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		hwbp_child();
	waitpid(pid, &status, 0);
	err = hwbp_arm(pid);
	if (err) {
		ksft_print_msg("  PTRACE_POKEUSER debug registers: %s\n",
			       strerror(-err));
	} else {
		ptrace(PTRACE_CONT, pid, NULL, NULL);
		waitpid(pid, &status, 0);
		ok = hwbp_check(pid, status);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	ksft_test_result(ok, "exc_debug hw_breakpoint\n");
}

/* ---- #BP ---- */

static CASE long case_int3(void *arg)
{
	(void)arg;
	asm volatile("int3\n\t" ASM_LABEL(int3_after) "nop" ::: "memory");
	return 0;
}

static CASE long case_int_3(void *arg)
{
	(void)arg;
	/* cd 03: the two-byte form; the gate's DPL 3 lets it through. */
	asm volatile(".byte 0xcd, 0x03\n\t" ASM_LABEL(int_3_after) "nop"
		     ::: "memory");
	return 0;
}

/* traps.c do_int3_user: do_trap(SIGTRAP, sicode 0) -> force_sig: SI_KERNEL */
static void test_int3(void)
{
	struct expect e = {
		.signo = SIGTRAP, .code = SI_KERNEL, .trapno = X86_TRAP_BP,
		.err = 0, .ip = UL(int3_after),
	};

	check_case("exc_int3 int3", case_int3, NULL, &e);
	e.ip = UL(int_3_after);
	check_case("exc_int3 int_3", case_int_3, NULL, &e);
}

/* ---- #OF ---- */

#ifndef __x86_64__
static CASE long case_into(void *arg)
{
	(void)arg;
	asm volatile("mov $0x7f, %%al\n\t"
		     "add $1, %%al\n\t"		/* OF = 1 */
		     "into\n\t"
		     ASM_LABEL(into_after)
		     "nop\n\t" ::: "eax", "memory", "cc");
	return 0;
}
#endif

static CASE long case_int_4(void *arg)
{
	(void)arg;
	asm volatile("int $4\n\t" ASM_LABEL(int_4_after) "nop" ::: "memory");
	return 0;
}

/* traps.c exc_overflow: do_error_trap(SIGSEGV, sicode 0) -> SI_KERNEL */
static void test_overflow(void)
{
	struct expect e = {
		.signo = SIGSEGV, .code = SI_KERNEL, .trapno = X86_TRAP_OF,
		.err = 0,
	};

#ifdef __x86_64__
	ktap_skip("exc_overflow into", "into is invalid in 64-bit mode\n");
#else
	e.ip = UL(into_after);
	check_case("exc_overflow into", case_into, NULL, &e);
#endif
	e.ip = UL(int_4_after);
	check_case("exc_overflow int_4", case_int_4, NULL, &e);
}

/* ---- #BR ---- */

#ifndef __x86_64__
static const int bounds[2] = { 0, 1 };

static CASE long case_bound(void *arg)
{
	(void)arg;
	asm volatile("mov $5, %%eax\n\t"
		     ASM_LABEL(bound_insn)
		     "bound %%eax, %0\n\t"
		     :: "m"(bounds) : "eax", "memory");
	return 0;
}
#endif

/* traps.c exc_bounds: do_trap(SIGSEGV, sicode 0) -> SI_KERNEL */
static void test_bounds(void)
{
#ifdef __x86_64__
	ktap_skip("exc_bounds bound", "bound is invalid in 64-bit mode\n");
#else
	struct expect e = {
		.signo = SIGSEGV, .code = SI_KERNEL, .trapno = X86_TRAP_BR,
		.err = 0, .ip = UL(bound_insn),
	};

	check_case("exc_bounds bound", case_bound, NULL, &e);
#endif
}

/* ---- #UD ---- */

static CASE long case_ud2(void *arg)
{
	(void)arg;
	asm volatile(ASM_LABEL(ud2_insn) "ud2" ::: "memory");
	return 0;
}

/* traps.c handle_invalid_op: do_error_trap(SIGILL, ILL_ILLOPN, ip) */
static void test_invalid_op(void)
{
	struct expect e = {
		.signo = SIGILL, .code = ILL_ILLOPN, .trapno = X86_TRAP_UD,
		.err = 0, .ip = UL(ud2_insn),
		.check_addr = true, .addr = UL(ud2_insn),
	};

	check_case("exc_invalid_op ud2", case_ud2, NULL, &e);
}

/* ---- #GP ---- */

static CASE long case_hlt(void *arg)
{
	(void)arg;
	asm volatile(ASM_LABEL(hlt_insn) "hlt" ::: "memory");
	return 0;
}

#ifdef __x86_64__
static CASE long case_noncanonical(void *arg)
{
	(void)arg;
	asm volatile("movabs $0x8000000000000000, %%rax\n\t"
		     ASM_LABEL(noncanon_insn)
		     "mov (%%rax), %%rax\n\t" ::: "rax", "memory");
	return 0;
}
#endif

/* traps.c gp_user_force_sig_segv: force_sig(SIGSEGV) -> SI_KERNEL */
static void test_general_protection(void)
{
	struct expect e = {
		.signo = SIGSEGV, .code = SI_KERNEL, .trapno = X86_TRAP_GP,
		.err = 0, .ip = UL(hlt_insn),
	};

	check_case("exc_general_protection hlt", case_hlt, NULL, &e);
#ifdef __x86_64__
	e.ip = UL(noncanon_insn);
	check_case("exc_general_protection noncanonical", case_noncanonical,
		   NULL, &e);
#else
	ktap_skip("exc_general_protection noncanonical", "32-bit addresses are always canonical\n");
#endif
}

/* ---- #NP, #SS: LDT segments ---- */

#define LDT_DS_ENTRY	1
#define LDT_SS_ENTRY	2
#define LDT_SEL(n)	(((n) << 3) | 4 | 3)	/* TI = LDT, RPL 3 */

/* A flat writable 32-bit data segment, present or not. */
static int ldt_set(int entry, int not_present)
{
	struct user_desc d = {
		.entry_number = entry,
		.limit = 0xfffff,
		.seg_32bit = 1,
		.contents = 0,		/* data, expand-up */
		.limit_in_pages = 1,
		.seg_not_present = not_present,
	};

	return syscall(SYS_modify_ldt, 1, &d, sizeof(d));
}

static unsigned short get_ds(void)
{
	unsigned short ds;

	asm volatile("mov %%ds, %0" : "=r"(ds));
	return ds;
}

/* The present segment must load: only "not present" may make it fault. */
static CASE long case_ldt_ds(void *arg)
{
	unsigned int sel = LDT_SEL(LDT_DS_ENTRY);
	unsigned int ds = get_ds();

	(void)arg;
	if (ldt_set(LDT_DS_ENTRY, 0))
		return -errno;
	asm volatile("mov %0, %%ds\n\tmov %1, %%ds" :: "r"(sel), "r"(ds));
	if (ldt_set(LDT_DS_ENTRY, 1))
		return -errno;
	asm volatile(ASM_LABEL(ldt_ds_insn) "mov %0, %%ds" :: "r"(sel));
	asm volatile("mov %0, %%ds" :: "r"(ds));
	return 0;
}

/* traps.c exc_segment_not_present: do_error_trap(SIGBUS, sicode 0) */
static void test_segment_not_present(void)
{
	struct expect e = {
		.signo = SIGBUS, .code = SI_KERNEL, .trapno = X86_TRAP_NP,
		.err = LDT_SEL(LDT_DS_ENTRY) & ~3, .ip = UL(ldt_ds_insn),
	};

	check_case("exc_segment_not_present ldt_ds", case_ldt_ds, NULL, &e);
}

static CASE long case_ldt_ss(void *arg)
{
	unsigned int sel = LDT_SEL(LDT_SS_ENTRY);
	unsigned int ss;

	(void)arg;
	asm volatile("mov %%ss, %0" : "=r"(ss));
	if (ldt_set(LDT_SS_ENTRY, 0))
		return -errno;
	asm volatile("mov %0, %%ss\n\tmov %1, %%ss" :: "r"(sel), "r"(ss));
	if (ldt_set(LDT_SS_ENTRY, 1))
		return -errno;
	/* MOV SS of a not-present segment: #SS(selector), not #NP. */
	asm volatile(ASM_LABEL(ldt_ss_insn) "mov %0, %%ss" :: "r"(sel));
	asm volatile("mov %0, %%ss" :: "r"(ss));
	return 0;
}

/* traps.c exc_stack_segment: do_error_trap(SIGBUS, sicode 0) */
static void test_stack_segment(void)
{
	struct expect e = {
		.signo = SIGBUS, .code = SI_KERNEL, .trapno = X86_TRAP_SS,
		.err = LDT_SEL(LDT_SS_ENTRY) & ~3, .ip = UL(ldt_ss_insn),
	};

	check_case("exc_stack_segment ldt_ss", case_ldt_ss, NULL, &e);
}

/* ---- #PF ---- */

static CASE long case_read(void *arg)
{
	return *(volatile char *)arg;
}

/* Read first: the zero page gets mapped, so the write faults with P=1. */
static CASE long case_read_write(void *arg)
{
	long v = *(volatile char *)arg;

	*(volatile char *)arg = 1;
	return v;
}

/* A page that is mapped and then unmapped again: a hole. */
static char *hole(void)
{
	char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		ksft_exit_fail_msg("mmap: %s\n", strerror(errno));
	munmap(p, PAGE);
	return p;
}

/*
 * fault.c: bad_area_nosemaphore -> SEGV_MAPERR, bad_area_access_error ->
 * SEGV_ACCERR; set_signal_archinfo(): trap_nr = 14, error_code | USER,
 * si_addr = the faulting address.
 */
static void test_page_fault_user(void)
{
	char *ro, *h = hole() + 0x123;
	struct expect e = {
		.signo = SIGSEGV, .code = SEGV_MAPERR, .trapno = X86_TRAP_PF,
		.err = X86_PF_USER, .check_addr = true, .addr = UL(h),
	};

	check_case("exc_page_fault maperr", case_read, h, &e);

	ro = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		  -1, 0);
	if (ro == MAP_FAILED)
		ksft_exit_fail_msg("mmap: %s\n", strerror(errno));
	e.code = SEGV_ACCERR;
	e.err = X86_PF_USER | X86_PF_WRITE | X86_PF_PROT;
	e.addr = UL(ro + 0x456);
	check_case("exc_page_fault accerr", case_read_write, ro + 0x456, &e);
	munmap(ro, PAGE);
}

/* Returns 0 when both copies into/out of the hole fail with EFAULT. */
static CASE long case_kernel_fixup(void *arg)
{
	char buf[16] = "0123456789abcdef";
	int fds[2], bad = 0;
	ssize_t n;

	if (pipe(fds))
		return -errno;
	n = write(fds[1], arg, sizeof(buf));	/* copy_from_user faults */
	if (n != -1 || errno != EFAULT) {
		ksft_print_msg("  write(pipe, hole): %zd, errno %d\n", n, errno);
		bad |= 1;
	}
	if (write(fds[1], buf, sizeof(buf)) != sizeof(buf))
		return -errno;
	n = read(fds[0], arg, sizeof(buf));	/* copy_to_user faults */
	if (n != -1 || errno != EFAULT) {
		ksft_print_msg("  read(pipe, hole): %zd, errno %d\n", n, errno);
		bad |= 2;
	}
	fflush(stdout);
	return bad;
}

/* fault.c kernelmode_fixup_or_oops -> fixup_exception: EFAULT, no signal */
static void test_page_fault_kernel(void)
{
	char *h = hole();
	struct obs o;

	run_case(case_kernel_fixup, h, &o);
	obs_print("exc_page_fault kernel_fixup", &o);
	ksft_test_result(o.kind == OBS_RETURN && o.value == 0,
			 "exc_page_fault kernel_fixup\n");
}

/* ---- #MF ---- */

static const double zero;
static const unsigned short fcw_zm_unmasked = 0x037f & ~0x0004;

/* The pending x87 exception is delivered at the next waiting insn. */
static CASE long case_x87(void *arg)
{
	(void)arg;
	asm volatile("fninit\n\t"
		     "fldcw %0\n\t"
		     "fld1\n\t"
		     "fdivl %1\n\t"
		     ASM_LABEL(fwait_insn)
		     "fwait\n\t"
		     :: "m"(fcw_zm_unmasked), "m"(zero) : "memory");
	return 0;
}

/* traps.c math_error: fpu__exception_code() -> FPE_FLTDIV, si_addr = ip */
static void test_coprocessor_error(void)
{
	struct expect e = {
		.signo = SIGFPE, .code = FPE_FLTDIV, .trapno = X86_TRAP_MF,
		.err = 0, .ip = UL(fwait_insn),
		.check_addr = true, .addr = UL(fwait_insn),
	};

	check_case("exc_coprocessor_error x87", case_x87, NULL, &e);
}

/*
 * A CPU that does not raise the exception at all (the case returns) makes
 * the test a skip with @why: QEMU TCG implements neither alignment checking
 * nor unmasked SSE exceptions, Bochs does. Any signal is judged.
 */
static void check_case_or_skip(const char *name, case_fn fn, const struct expect *e,
			       const char *why)
{
	struct obs o;

	run_case(fn, NULL, &o);
	obs_print(name, &o);
	if (o.kind == OBS_RETURN) {
		ktap_skip(name, "%s", why);
		return;
	}
	ksft_test_result(obs_matches(&o, e), "%s\n", name);
}

/* ---- #AC ---- */

static char ac_buf[16] __attribute__((aligned(16)));

/* EFLAGS.AC set (CR0.AM is set by Linux), then a misaligned 4-byte load. */
static CASE long case_ac(void *arg)
{
	long v;

	(void)arg;
#ifdef __x86_64__
	asm volatile("pushfq\n\t"
		     "orq $0x40000, (%%rsp)\n\t"
		     "popfq\n\t"
		     ASM_LABEL(ac_insn)
		     "movl (%1), %k0\n\t"
		     : "=r"(v) : "r"(ac_buf + 1) : "memory", "cc");
#else
	asm volatile("pushfl\n\t"
		     "orl $0x40000, (%%esp)\n\t"
		     "popfl\n\t"
		     ASM_LABEL(ac_insn)
		     "movl (%1), %0\n\t"
		     : "=r"(v) : "r"(ac_buf + 1) : "memory", "cc");
#endif
	return v;
}

/* traps.c exc_alignment_check: EFLAGS.AC set, so no split-lock handling: do_trap(SIGBUS, BUS_ADRALN) */
static void test_alignment_check(void)
{
	struct expect e = {
		.signo = SIGBUS, .code = BUS_ADRALN, .trapno = X86_TRAP_AC,
		.err = 0, .ip = UL(ac_insn),
	};

	check_case_or_skip("exc_alignment_check ac", case_ac, &e,
			   "the CPU raised no #AC for a misaligned load with EFLAGS.AC set (QEMU TCG does not implement alignment checking)\n");
}

/* ---- #XF ---- */

#ifdef __x86_64__
static const unsigned int mxcsr_zm_unmasked = 0x1f80 & ~0x0200;
static const float one_f = 1.0f, zero_f;

/* SSE division by zero with the exception unmasked in MXCSR. */
static CASE long case_simd(void *arg)
{
	(void)arg;
	asm volatile("ldmxcsr %0\n\t"
		     "movss %1, %%xmm0\n\t"
		     ASM_LABEL(divss_insn)
		     "divss %2, %%xmm0\n\t"
		     :: "m"(mxcsr_zm_unmasked), "m"(one_f), "m"(zero_f) : "xmm0", "memory");
	return 0;
}
#endif

/* traps.c exc_simd_coprocessor_error: math_error() -> FPE_FLTDIV, si_addr = ip */
static void test_simd_error(void)
{
#ifdef __x86_64__
	struct expect e = {
		.signo = SIGFPE, .code = FPE_FLTDIV, .trapno = X86_TRAP_XF,
		.err = 0, .ip = UL(divss_insn),
		.check_addr = true, .addr = UL(divss_insn),
	};

	check_case_or_skip("exc_simd_coprocessor_error divss", case_simd, &e,
			   "the CPU raised no #XF for an unmasked SSE division by zero (QEMU TCG never raises unmasked SSE exceptions)\n");
#else
	ktap_skip("exc_simd_coprocessor_error divss", "the 32-bit build is not compiled with SSE\n");
#endif
}

/* ---- int $0x80 ---- */

static CASE long case_int80_getpid(void *arg)
{
	long ret;

	(void)arg;
#ifdef __x86_64__
	asm volatile("int $0x80" : "=a"(ret) : "a"((long)NR32_getpid)
		     : "r8", "r9", "r10", "r11", "memory");
#else
	asm volatile("int $0x80" : "=a"(ret) : "a"((long)NR32_getpid)
		     : "memory");
#endif
	return ret;
}

/*
 * idt.c: vector 0x80 is asm_int80_emulation on a 64-bit kernel (64-bit
 * and 32-bit processes alike), entry_INT80_32 on a 32-bit kernel.
 */
static void test_int80(void)
{
	const char *name = kernel_is_64bit() ? "int80_emulation getpid" :
					       "entry_INT80_32 getpid";
	struct obs o;

	run_case(case_int80_getpid, NULL, &o);
	obs_print(name, &o);
	if (o.kind == OBS_RETURN && o.value != o.pid)
		ksft_print_msg("  returned %ld, the child's pid is %d\n",
			       o.value, o.pid);
	ksft_test_result(o.kind == OBS_RETURN && o.value == o.pid,
			 "%s\n", name);
}

/* ---- entry invariants: EFLAGS.DF, and what a tracer sees ---- */

/*
 * The exception hits with EFLAGS.DF set (std just before it). The entry
 * code must clear DF (cld) before any C code runs, or the kernel's string
 * operations run backwards and build a garbage signal frame: the handler
 * must start with DF clear (the ABI), the saved context must have DF set,
 * and signal, si_code, si_addr, trapno and error code must be those of
 * the same exception without DF.
 */
static CASE long case_df_idiv(void *arg)
{
	(void)arg;
	asm volatile("xor %%edx, %%edx\n\t"
		     "mov $1, %%eax\n\t"
		     "xor %%ecx, %%ecx\n\t"
		     "std\n\t"
		     ASM_LABEL(df_idiv_insn)
		     "idivl %%ecx\n\t"
		     "cld\n\t"
		     ::: "eax", "ecx", "edx", "memory");
	return 0;
}

static CASE long case_df_ud2(void *arg)
{
	(void)arg;
	asm volatile("std\n\t" ASM_LABEL(df_ud2_insn) "ud2\n\tcld" ::: "memory");
	return 0;
}

static CASE long case_df_int3(void *arg)
{
	(void)arg;
	asm volatile("std\n\tint3\n\t" ASM_LABEL(df_int3_after) "cld" ::: "memory");
	return 0;
}

static CASE long case_df_hlt(void *arg)
{
	(void)arg;
	asm volatile("std\n\t" ASM_LABEL(df_hlt_insn) "hlt\n\tcld" ::: "memory");
	return 0;
}

static CASE long case_df_read(void *arg)
{
	long v;

	asm volatile("std\n\t" ASM_LABEL(df_read_insn) "movzbl (%1), %k0\n\tcld"
		     : "=r"(v) : "r"(arg) : "memory");
	return v;
}

static CASE long case_read_insn(void *arg)
{
	long v;

	asm volatile(ASM_LABEL(read_insn) "movzbl (%1), %k0" : "=r"(v) : "r"(arg) : "memory");
	return v;
}

static void check_df_case(const char *name, case_fn fn, void *arg, const struct expect *e)
{
	struct obs o;
	bool ok;

	run_case(fn, arg, &o);
	obs_print(name, &o);
	ok = obs_matches(&o, e);
	if (o.kind == OBS_SIGNAL && o.df_handler) {
		ksft_print_msg("  the handler started with EFLAGS.DF set\n");
		ok = false;
	}
	if (o.kind == OBS_SIGNAL && !o.df_saved) {
		ksft_print_msg("  the saved context lost EFLAGS.DF\n");
		ok = false;
	}
	ksft_test_result(ok, "%s\n", name);
}

static void test_direction_flag(void)
{
	char *h = hole() + 0x321;
	struct expect e = {
		.signo = SIGFPE, .code = FPE_INTDIV, .trapno = X86_TRAP_DE,
		.err = 0, .ip = UL(df_idiv_insn),
		.check_addr = true, .addr = UL(df_idiv_insn),
	};

	check_df_case("exc_divide_error df", case_df_idiv, NULL, &e);
	e = (struct expect){ .signo = SIGILL, .code = ILL_ILLOPN, .trapno = X86_TRAP_UD,
			     .err = 0, .ip = UL(df_ud2_insn),
			     .check_addr = true, .addr = UL(df_ud2_insn) };
	check_df_case("exc_invalid_op df", case_df_ud2, NULL, &e);
	e = (struct expect){ .signo = SIGTRAP, .code = SI_KERNEL, .trapno = X86_TRAP_BP,
			     .err = 0, .ip = UL(df_int3_after) };
	check_df_case("exc_int3 df", case_df_int3, NULL, &e);
	e = (struct expect){ .signo = SIGSEGV, .code = SI_KERNEL, .trapno = X86_TRAP_GP,
			     .err = 0, .ip = UL(df_hlt_insn) };
	check_df_case("exc_general_protection df", case_df_hlt, NULL, &e);
	e = (struct expect){ .signo = SIGSEGV, .code = SEGV_MAPERR, .trapno = X86_TRAP_PF,
			     .err = X86_PF_USER, .ip = UL(df_read_insn),
			     .check_addr = true, .addr = UL(h) };
	check_df_case("exc_page_fault df", case_df_read, h, &e);
}

/*
 * A tracer stops the child at the exception's signal: the registers it
 * reads must show orig_ax == -1 (an exception: no system call that a
 * restart could repeat) and the ip of the faulting instruction.
 */
static void check_ptrace(const char *name, case_fn fn, void *arg, int signo, unsigned long ip)
{
	struct user_regs_struct regs;
	long orig = 0;
	unsigned long at = 0;
	int status = 0;
	bool ok = false;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		ksft_exit_fail_msg("fork: %s\n", strerror(errno));
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		raise(SIGSTOP);
		fn(arg);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) == pid && WIFSTOPPED(status) &&
	    ptrace(PTRACE_CONT, pid, NULL, NULL) == 0 && waitpid(pid, &status, 0) == pid &&
	    WIFSTOPPED(status) && WSTOPSIG(status) == signo &&
	    ptrace(PTRACE_GETREGS, pid, NULL, &regs) == 0) {
#ifdef __x86_64__
		orig = (long)regs.orig_rax;
		at = regs.rip;
#else
		orig = regs.orig_eax;
		at = regs.eip;
#endif
		ok = orig == -1 && at == ip;
		ksft_print_msg("%s: stopped with %s, orig_ax %ld, ip %#lx (expected -1, %#lx)\n",
			       name, sig_name(signo), orig, at, ip);
	} else {
		ksft_print_msg("%s: no signal-delivery stop with %s (wait status %#x)\n", name,
			       sig_name(signo), status);
	}
	kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	ksft_test_result(ok, "%s\n", name);
}

static void test_tracer_view(void)
{
	check_ptrace("exc_divide_error ptrace", case_idiv, NULL, SIGFPE, UL(idiv_insn));
	check_ptrace("exc_invalid_op ptrace", case_ud2, NULL, SIGILL, UL(ud2_insn));
	check_ptrace("exc_general_protection ptrace", case_hlt, NULL, SIGSEGV, UL(hlt_insn));
	check_ptrace("exc_page_fault ptrace", case_read_insn, hole() + 0x42, SIGSEGV, UL(read_insn));
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	ksft_print_header();
	ksft_set_plan(NR_TESTS);
	ksft_print_msg("traps-%d on a %s kernel\n", BITS, kernel_machine());

	test_divide_error();
	test_single_step();
	test_hw_breakpoint();
	test_int3();
	test_overflow();
	test_bounds();
	test_invalid_op();
	test_general_protection();
	test_segment_not_present();
	test_stack_segment();
	test_page_fault_user();
	test_page_fault_kernel();
	test_coprocessor_error();
	test_alignment_check();
	test_simd_error();
	test_int80();
	test_direction_flag();
	test_tracer_view();
	ksft_finished();
	return 0;
}
