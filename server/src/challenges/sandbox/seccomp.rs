//! The seccomp filters bubblewrap installs on the sandboxed program (`--add-seccomp-fd`), built
//! once at start-up with `seccompiler`. A deny list, not an allow list: the namespaces, the
//! unprivileged uid and the read-only system already contain a run; these filters take away
//! kernel interfaces a graded program never needs and that are a kernel attack surface or a
//! way out. Denied calls fail with EPERM, so the user sees an ordinary error, not a kill.
//! See docs/challenges/sandbox.md for why each group is there.

/// Compiled classic-BPF programs, each as the bytes bwrap reads from its fd (`struct
/// sock_filter` in native byte order). Empty where no filter is built (not x86_64).
pub type Programs = Vec<Vec<u8>>;

/// The filters for this architecture: the deny list (EPERM) and `clone3` (ENOSYS).
#[cfg(target_arch = "x86_64")]
pub fn build() -> Result<Programs, String> {
    x86_64::build()
}

/// No filter off x86_64 (the syscall lists are x86_64's); runs are contained by the rest.
#[cfg(not(target_arch = "x86_64"))]
pub fn build() -> Result<Programs, String> {
    tracing::warn!("sandbox: no seccomp filter on this architecture (x86_64 only)");
    Ok(Vec::new())
}

#[cfg(target_arch = "x86_64")]
mod x86_64 {
    use super::Programs;
    use seccompiler::{
        sock_filter, BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition,
        SeccompFilter, SeccompRule, TargetArch,
    };
    use std::collections::BTreeMap;

    /// x32 system calls reach the same kernel code with this bit set in the number (and the
    /// same audit arch), so each denied call is denied under both numbers.
    const X32_BIT: i64 = 0x4000_0000;
    /// x32-only numbers of denied calls: ptrace, kexec_load, process_vm_readv/writev.
    const X32_ONLY: [i64; 4] = [521, 528, 539, 540];
    /// personality(2) values that leave the default persona or only query it.
    const PER_LINUX: u64 = 0;
    const PER_QUERY: u64 = 0xffff_ffff;

    /// Denied whatever their arguments.
    const DENIED: &[i64] = &[
        // Looking into or steering other processes (the sandbox's own wrappers included).
        libc::SYS_ptrace,
        libc::SYS_process_vm_readv,
        libc::SYS_process_vm_writev,
        libc::SYS_pidfd_getfd,
        // Reshaping the filesystem view or the namespaces bwrap set up.
        libc::SYS_mount,
        libc::SYS_umount2,
        libc::SYS_pivot_root,
        libc::SYS_chroot,
        libc::SYS_unshare,
        libc::SYS_setns,
        libc::SYS_open_tree,
        libc::SYS_move_mount,
        libc::SYS_fsopen,
        libc::SYS_fsconfig,
        libc::SYS_fsmount,
        libc::SYS_fspick,
        libc::SYS_mount_setattr,
        // The kernel keyring (not namespaced: shared with the host's users).
        libc::SYS_keyctl,
        libc::SYS_add_key,
        libc::SYS_request_key,
        // Large kernel attack surface no graded program needs.
        libc::SYS_bpf,
        libc::SYS_perf_event_open,
        libc::SYS_userfaultfd,
        libc::SYS_io_uring_setup,
        libc::SYS_io_uring_enter,
        libc::SYS_io_uring_register,
        // File handles bypass the mount view (they need CAP_DAC_READ_SEARCH; belt and braces).
        libc::SYS_open_by_handle_at,
        libc::SYS_name_to_handle_at,
        // Host administration: kernels, modules, power, swap, accounting, the clock.
        libc::SYS_kexec_load,
        libc::SYS_kexec_file_load,
        libc::SYS_init_module,
        libc::SYS_finit_module,
        libc::SYS_delete_module,
        libc::SYS_reboot,
        libc::SYS_swapon,
        libc::SYS_swapoff,
        libc::SYS_acct,
        libc::SYS_settimeofday,
        libc::SYS_clock_settime,
        libc::SYS_adjtimex,
        libc::SYS_clock_adjtime,
    ];

    /// clone(2) flags that create namespaces (clone's flags are its first argument on x86_64).
    const NAMESPACE_FLAGS: [i32; 7] = [
        libc::CLONE_NEWNS,
        libc::CLONE_NEWCGROUP,
        libc::CLONE_NEWUTS,
        libc::CLONE_NEWIPC,
        libc::CLONE_NEWUSER,
        libc::CLONE_NEWPID,
        libc::CLONE_NEWNET,
    ];

    pub fn build() -> Result<Programs, String> {
        Ok(vec![to_bytes(&deny_list()?), to_bytes(&clone3()?)])
    }

    fn err(e: impl std::fmt::Display) -> String {
        format!("seccomp filter: {e}")
    }

    fn arg0(op: SeccompCmpOp, value: u64) -> Result<SeccompCondition, String> {
        SeccompCondition::new(0, SeccompCmpArgLen::Dword, op, value).map_err(err)
    }

    /// Matching calls fail with EPERM, all others pass.
    fn deny_list() -> Result<BpfProgram, String> {
        let mut rules: BTreeMap<i64, Vec<SeccompRule>> = BTreeMap::new();
        for &nr in DENIED {
            rules.insert(nr, Vec::new());
            rules.insert(nr | X32_BIT, Vec::new());
        }
        for nr in X32_ONLY {
            rules.insert(nr | X32_BIT, Vec::new());
        }
        // One rule per flag (rules are OR'ed): any namespace flag denies the clone.
        let clone: Vec<SeccompRule> = NAMESPACE_FLAGS
            .iter()
            .map(|&flag| {
                let flag = flag as u64;
                SeccompRule::new(vec![arg0(SeccompCmpOp::MaskedEq(flag), flag)?]).map_err(err)
            })
            .collect::<Result<_, _>>()?;
        rules.insert(libc::SYS_clone, clone.clone());
        rules.insert(libc::SYS_clone | X32_BIT, clone);
        // Other personas turn off address-space randomisation or change the syscall ABI.
        let personality = vec![SeccompRule::new(vec![
            arg0(SeccompCmpOp::Ne, PER_LINUX)?,
            arg0(SeccompCmpOp::Ne, PER_QUERY)?,
        ])
        .map_err(err)?];
        rules.insert(libc::SYS_personality, personality.clone());
        rules.insert(libc::SYS_personality | X32_BIT, personality);
        compile(rules, libc::EPERM)
    }

    /// clone3 passes its flags in memory, which a filter cannot read: it fails with ENOSYS, on
    /// which glibc (threads, fork) falls back to clone, whose flags the deny list checks. EPERM
    /// would make thread creation fail instead.
    fn clone3() -> Result<BpfProgram, String> {
        let rules = BTreeMap::from([
            (libc::SYS_clone3, Vec::new()),
            (libc::SYS_clone3 | X32_BIT, Vec::new()),
        ]);
        compile(rules, libc::ENOSYS)
    }

    fn compile(rules: BTreeMap<i64, Vec<SeccompRule>>, errno: i32) -> Result<BpfProgram, String> {
        let filter = SeccompFilter::new(
            rules,
            SeccompAction::Allow,
            SeccompAction::Errno(errno as u32),
            TargetArch::x86_64,
        )
        .map_err(err)?;
        filter.try_into().map_err(err)
    }

    /// The program as the kernel's `struct sock_filter` array: u16 code, u8 jt, u8 jf, u32 k.
    fn to_bytes(program: &[sock_filter]) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(program.len() * 8);
        for ins in program {
            bytes.extend_from_slice(&ins.code.to_ne_bytes());
            bytes.push(ins.jt);
            bytes.push(ins.jf);
            bytes.extend_from_slice(&ins.k.to_ne_bytes());
        }
        bytes
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn the_filters_build_and_fit_the_kernel_limit() {
            let programs = super::build().expect("filters build");
            assert_eq!(programs.len(), 2);
            for p in &programs {
                assert_eq!(p.len() % 8, 0);
                // BPF_MAXINSNS is 4096; the deny list is a few hundred instructions.
                assert!((8..4096 * 8).contains(&p.len()), "{} bytes", p.len());
            }
        }
    }
}
