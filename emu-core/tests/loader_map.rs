//! Loader mapping: crafted images are mapped at the right place with the right contents, the
//! initial stack follows the Linux layout, and clashes and missing interpreters are clear errors.

mod loader_common;

use emu_core::guest::Arch;
use emu_core::loader::stack::*;
use emu_core::loader::{load, LoadError, LoadOptions, Loaded, STACK_SIZE};
use emu_core::mem::read_bytes;
use loader_common::*;
use std::ffi::OsString;
use std::path::Path;

fn opts<'a>(
    exe: &'a Path,
    argv: &'a [OsString],
    envp: &'a [OsString],
    sysroot: Option<&'a Path>,
) -> LoadOptions<'a> {
    LoadOptions { exe_path: exe, execfn: None, argv, envp, sysroot, secure: false, stack_size: STACK_SIZE }
}

fn read(addr: u64, n: usize) -> Vec<u8> {
    let mut b = vec![0u8; n];
    assert_eq!(read_bytes(addr, &mut b), n, "guest memory at {addr:#x} unreadable");
    b
}

fn read_u64(addr: u64) -> u64 {
    u64::from_le_bytes(read(addr, 8).try_into().unwrap_or_default())
}

fn cstr_at(addr: u64) -> Vec<u8> {
    emu_core::mem::read_cstr(addr, 4096).expect("string readable")
}

fn aux(l: &Loaded, key: u64) -> Option<u64> {
    l.auxv.iter().find(|&&(k, _)| k == key).map(|&(_, v)| v)
}

/// A PIE with a text segment and a data segment whose bss shares the last file page.
fn pie() -> Elf {
    let mut e = Elf::new(EM_AARCH64, ET_DYN);
    e.len = 0x2200;
    e.entry = 0x123;
    e.phdrs = vec![
        Ph { p_type: PT_PHDR, ..Ph::load(PF_R, 64, 64, 56 * 3, 56 * 3) },
        Ph::load(PF_R | PF_X, 0, 0, 0x1000, 0x1000),
        Ph::load(PF_R | PF_W, 0x2000, 0x12000, 0x200, 0x3000),
    ];
    e.body.push((0x2000, vec![0xaa; 0x200]));
    // Junk after the data segment's file bytes in the same page: must read back as zero (bss).
    e.body.push((0x2200, vec![0x55; 0x100]));
    e
}

#[test]
fn pie_is_mapped_with_bss_and_stack() {
    let e = pie();
    let (file, path) = e.file("pie");
    let argv: Vec<OsString> = vec!["prog".into(), "arg one".into()];
    let envp: Vec<OsString> = vec!["A=1".into(), "B=two".into()];
    let l = load(&file, &opts(&path, &argv, &envp, None), &TestGuest(Arch::Aarch64)).expect("loads");
    assert_eq!(l.arch, Arch::Aarch64);
    assert_eq!(l.load_bias % 0x1000, 0);
    assert_ne!(l.load_bias, 0);
    assert_eq!(l.entry, l.load_bias + 0x123);
    assert_eq!(l.exe_entry, l.entry);
    assert_eq!(l.brk, l.load_bias + 0x15000);
    assert_eq!(l.interp_base, None);
    // Text: the ELF header itself is at the bias.
    assert_eq!(read(l.load_bias, 4), b"\x7fELF");
    // Data, then the zeroed bss tail of the file page, then anonymous zero pages.
    let data = l.load_bias + 0x12000;
    assert_eq!(read(data, 0x200), vec![0xaa; 0x200]);
    assert_eq!(read(data + 0x200, 0xe00), vec![0; 0xe00]);
    assert_eq!(read(data + 0x1000, 0x2000), vec![0; 0x2000]);
    // Data is writable through the fault-free helper; text is not.
    assert_eq!(emu_core::mem::write_bytes(data + 0x2ff0, &[1, 2]), 2);
    assert_eq!(emu_core::mem::write_bytes(l.load_bias + 0x10, &[1]), 0);

    // Stack: argc, argv, NULL, envp, NULL, auxv.
    let sp = l.sp;
    assert_eq!(sp % 16, 0);
    assert!(l.stack.0 < sp && sp < l.stack.1);
    assert_eq!(read_u64(sp), 2);
    assert_eq!(cstr_at(read_u64(sp + 8)), b"prog");
    assert_eq!(cstr_at(read_u64(sp + 16)), b"arg one");
    assert_eq!(read_u64(sp + 24), 0);
    assert_eq!(cstr_at(read_u64(sp + 32)), b"A=1");
    assert_eq!(cstr_at(read_u64(sp + 40)), b"B=two");
    assert_eq!(read_u64(sp + 48), 0);
    let mut a = sp + 56;
    let mut on_stack = Vec::new();
    loop {
        let (k, v) = (read_u64(a), read_u64(a + 8));
        on_stack.push((k, v));
        a += 16;
        if k == AT_NULL {
            break;
        }
    }
    assert_eq!(on_stack, l.auxv);
    assert_eq!(aux(&l, AT_PHDR), Some(l.load_bias + 64));
    assert_eq!(aux(&l, AT_PHENT), Some(56));
    assert_eq!(aux(&l, AT_PHNUM), Some(3));
    assert_eq!(aux(&l, AT_PAGESZ), Some(4096));
    assert_eq!(aux(&l, AT_ENTRY), Some(l.exe_entry));
    assert_eq!(aux(&l, AT_BASE), Some(0));
    assert_eq!(aux(&l, AT_HWCAP), Some(0x11));
    assert_eq!(aux(&l, AT_HWCAP2), Some(0x22));
    assert_eq!(aux(&l, AT_SECURE), Some(0));
    assert_eq!(aux(&l, AT_CLKTCK), Some(100));
    // SAFETY: getuid cannot fail.
    assert_eq!(aux(&l, AT_UID), Some(unsafe { libc::getuid() } as u64));
    assert!(aux(&l, AT_MINSIGSTKSZ).is_some());
    assert_eq!(cstr_at(aux(&l, AT_EXECFN).expect("execfn")), path.as_os_str().as_encoded_bytes());
    assert_eq!(cstr_at(aux(&l, AT_PLATFORM).expect("platform")), b"aarch64");
    let random = aux(&l, AT_RANDOM).expect("random");
    assert_eq!(read(random, 16).len(), 16);
    // The program header table is readable where AT_PHDR says.
    assert_eq!(read_u64(aux(&l, AT_PHDR).expect("phdr")) as u32, PT_PHDR);
}

#[test]
fn bss_ending_mid_page_is_zeroed_to_the_page_end() {
    // p_memsz ends inside the last file page: the rest of that page must still read as zero
    // (ld.so's startup allocator relies on it), as the kernel's padzero guarantees.
    let mut e = Elf::new(EM_RISCV, ET_DYN);
    e.len = 0x3000;
    e.phdrs = vec![
        Ph::load(PF_R | PF_X, 0, 0, 0x1000, 0x1000),
        Ph::load(PF_R | PF_W, 0x2000, 0x12000, 0x100, 0x180),
    ];
    e.body.push((0x2000, vec![0xaa; 0x100]));
    e.body.push((0x2100, vec![0x55; 0xf00]));
    let (file, path) = e.file("bss-mid-page");
    let l = load(&file, &opts(&path, &[], &[], None), &TestGuest(Arch::Riscv64)).expect("loads");
    let data = l.load_bias + 0x12000;
    assert_eq!(read(data, 0x100), vec![0xaa; 0x100]);
    assert_eq!(read(data + 0x100, 0xf00), vec![0; 0xf00]);
    assert_eq!(l.brk, data + 0x1000);
}

#[test]
fn exec_at_fixed_address_and_clash_is_refused() {
    let mut e = Elf::new(EM_RISCV, ET_EXEC);
    let base = 0x3a_0000_0000u64;
    e.len = 0x1000;
    e.entry = base + 0x100;
    e.phdrs = vec![Ph::load(PF_R | PF_X, 0, base, 0x1000, 0x1000)];
    let (file, path) = e.file("exec");
    let argv: Vec<OsString> = vec!["x".into()];
    let l = load(&file, &opts(&path, &argv, &[], None), &TestGuest(Arch::Riscv64)).expect("loads");
    assert_eq!((l.load_bias, l.entry, l.brk), (0, base + 0x100, base + 0x1000));
    assert_eq!(read(base, 4), b"\x7fELF");
    assert_eq!(aux(&l, AT_MINSIGSTKSZ), None);
    // Loading it again: the range is taken, and the error says so instead of clobbering it.
    let err = load(&file, &opts(&path, &argv, &[], None), &TestGuest(Arch::Riscv64)).unwrap_err();
    assert!(matches!(err, LoadError::Map { .. }), "{err}");
    assert!(err.to_string().contains("fixed address range"), "{err}");
    assert_eq!(err.exit_code(), 126);
}

#[test]
fn wrong_guest_is_refused() {
    let (file, path) = pie().file("pie-wrong-guest");
    let err = load(&file, &opts(&path, &[], &[], None), &TestGuest(Arch::Riscv64)).unwrap_err();
    assert!(err.to_string().contains("aarch64 executable given to the riscv64 guest"), "{err}");
}

#[test]
fn interpreter_from_sysroot() {
    // The "interpreter" is itself a PIE; the program names it by an absolute guest path.
    let interp = pie();
    let (_, ipath) = interp.file("ld-test.so");
    let root = ipath.parent().expect("dir").join("sysroot");
    std::fs::create_dir_all(root.join("lib")).expect("sysroot dir");
    std::fs::copy(&ipath, root.join("lib/ld-test.so")).expect("copy interp");
    let mut prog = pie();
    prog.phdrs.push(Ph { p_type: PT_INTERP, ..Ph::load(PF_R, 0x300, 0, 16, 16) });
    prog.body.push((0x300, b"/lib/ld-test.so\0".to_vec()));
    prog.phdrs[0].filesz = 56 * 4;
    prog.phdrs[0].memsz = 56 * 4;
    let (file2, path2) = prog.file("dyn");
    let l = load(&file2, &opts(&path2, &[], &[], Some(&root)), &TestGuest(Arch::Aarch64)).expect("loads");
    let base = l.interp_base.expect("interp base");
    assert_eq!(aux(&l, AT_BASE), Some(base));
    assert_eq!(l.entry, base + 0x123);
    assert_eq!(aux(&l, AT_ENTRY), Some(l.load_bias + 0x123));
    assert_eq!(l.interp_path.as_deref(), Some(root.join("lib/ld-test.so").as_path()));
    assert_ne!(base, l.load_bias);

    // Without the sysroot, /lib/ld-test.so does not exist on the host.
    let err = load(&file2, &opts(&path2, &[], &[], None), &TestGuest(Arch::Aarch64)).unwrap_err();
    assert!(err.to_string().contains("/lib/ld-test.so not found"), "{err}");
    assert_eq!(err.exit_code(), 127);
}

#[test]
fn directory_is_not_a_program() {
    let dir = std::fs::File::open(std::env::temp_dir()).expect("open temp dir");
    let err = load(&dir, &opts(Path::new("/tmp"), &[], &[], None), &TestGuest(Arch::Aarch64)).unwrap_err();
    assert!(matches!(err, LoadError::NotRegular), "{err}");
}

#[test]
fn stack_layout_is_pure_and_aligned() {
    let argv: Vec<OsString> = vec!["a".into(), "bcd".into(), "".into()];
    let envp: Vec<OsString> = vec!["X=y".into()];
    let spec = StackSpec {
        argv: &argv,
        envp: &envp,
        execfn: b"/bin/a",
        platform: "riscv64",
        random: [7; 16],
        auxv: vec![(AT_PAGESZ, 4096)],
    };
    let top = 0x7000_0000u64;
    let img = build(top, STACK_SIZE, &spec).expect("fits");
    assert_eq!(img.sp % 16, 0);
    assert_eq!(img.sp + img.bytes.len() as u64, top);
    let word = |addr: u64| {
        let o = (addr - img.sp) as usize;
        u64::from_le_bytes(img.bytes[o..o + 8].try_into().unwrap_or_default())
    };
    let string = |addr: u64| {
        let o = (addr - img.sp) as usize;
        let end = img.bytes[o..].iter().position(|&b| b == 0).map(|n| o + n).unwrap_or(o);
        img.bytes[o..end].to_vec()
    };
    assert_eq!(word(img.sp), 3);
    assert_eq!(string(word(img.sp + 8)), b"a");
    assert_eq!(string(word(img.sp + 16)), b"bcd");
    assert_eq!(string(word(img.sp + 24)), b"");
    assert_eq!(word(img.sp + 32), 0);
    assert_eq!(string(word(img.sp + 40)), b"X=y");
    assert_eq!(word(img.sp + 48), 0);
    // argv strings are contiguous and in order, as the kernel copies them.
    assert_eq!(word(img.sp + 16), word(img.sp + 8) + 2);
    // The 8 bytes at the very top are the zero end marker, execfn just below.
    assert_eq!(word(top - 8), 0);
    let execfn = img.auxv.iter().find(|a| a.0 == AT_EXECFN).map(|a| a.1).unwrap_or(0);
    assert_eq!(execfn, top - 8 - 7);
    assert_eq!(img.auxv.last(), Some(&(AT_NULL, 0)));

    // Strings above a quarter of the stack are E2BIG.
    let huge: Vec<OsString> = vec![OsString::from("x".repeat(1 << 20)); 3];
    let spec = StackSpec { argv: &huge, ..spec };
    assert!(matches!(build(top, STACK_SIZE, &spec), Err(LoadError::TooBig(_))));
}
