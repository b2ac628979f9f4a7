//! The host's memory as emulated code sees it: the process's own mappings
//! (`/proc/self/maps`), mapped into the emulator page by page at the same addresses when
//! the emulated code first touches them, and page-aligned host buffers for code.

use std::alloc::{alloc_zeroed, dealloc, Layout};

/// The emulator's page size (Unicorn maps in 4 KiB units).
pub const PAGE: u64 = 4096;

/// One mapping of this process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    pub start: u64,
    pub end: u64,
    pub read: bool,
    pub write: bool,
    pub exec: bool,
}

/// This process's mappings now, sorted by address.
pub fn snapshot() -> std::io::Result<Vec<Region>> {
    Ok(parse(&std::fs::read_to_string("/proc/self/maps")?))
}

/// The mappings listed in `maps` (the format of `/proc/<pid>/maps`), sorted by address.
pub fn parse(maps: &str) -> Vec<Region> {
    let mut out: Vec<Region> = maps
        .lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let (start, end) = fields.next()?.split_once('-')?;
            let perms = fields.next()?.as_bytes();
            Some(Region {
                start: u64::from_str_radix(start, 16).ok()?,
                end: u64::from_str_radix(end, 16).ok()?,
                read: perms.first() == Some(&b'r'),
                write: perms.get(1) == Some(&b'w'),
                exec: perms.get(2) == Some(&b'x'),
            })
        })
        .collect();
    out.sort_by_key(|r| r.start);
    out
}

/// The mapping of `regions` (sorted) that holds `addr`.
pub fn find(regions: &[Region], addr: u64) -> Option<Region> {
    let i = regions.partition_point(|r| r.start <= addr);
    regions[..i].last().filter(|r| addr < r.end).copied()
}

/// The page holding `addr`.
pub fn page_of(addr: u64) -> u64 {
    addr & !(PAGE - 1)
}

/// Page-aligned host memory for machine code the emulator runs (Cranelift's AArch64
/// output with its relocations applied). The host never executes it; the emulator maps
/// it executable at its host address.
pub struct CodeBuffer {
    ptr: *mut u8,
    layout: Layout,
}

impl CodeBuffer {
    /// A zeroed buffer of at least `len` bytes (whole pages).
    pub fn new(len: usize) -> Self {
        let pages = len.max(1).div_ceil(PAGE as usize);
        let layout =
            Layout::from_size_align(pages * PAGE as usize, PAGE as usize).expect("code layout");
        // SAFETY: the layout has a non-zero size.
        let ptr = unsafe { alloc_zeroed(layout) };
        assert!(
            !ptr.is_null(),
            "out of memory for {} bytes of code",
            layout.size()
        );
        CodeBuffer { ptr, layout }
    }

    /// A buffer holding `code`.
    pub fn with_code(code: &[u8]) -> Self {
        let mut b = Self::new(code.len());
        b.bytes_mut()[..code.len()].copy_from_slice(code);
        b
    }

    pub fn addr(&self) -> u64 {
        self.ptr as u64
    }

    pub fn len(&self) -> usize {
        self.layout.size()
    }

    pub fn is_empty(&self) -> bool {
        false
    }

    pub fn bytes(&self) -> &[u8] {
        // SAFETY: `ptr` owns `layout.size()` initialized bytes for as long as `self` lives.
        unsafe { std::slice::from_raw_parts(self.ptr, self.layout.size()) }
    }

    pub fn bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: `ptr` owns `layout.size()` initialized bytes for as long as `self` lives.
        unsafe { std::slice::from_raw_parts_mut(self.ptr, self.layout.size()) }
    }
}

impl Drop for CodeBuffer {
    fn drop(&mut self) {
        // SAFETY: allocated in `new` with this layout, freed once.
        unsafe { dealloc(self.ptr, self.layout) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_lines_parse_into_sorted_regions_with_permissions() {
        let maps = "7f00-7f10 r-xp 00000000 08:01 1 /lib/x.so\n\
                    1000-3000 rw-p 00000000 00:00 0 [heap]\n";
        let r = parse(maps);
        assert_eq!(
            r[0],
            Region {
                start: 0x1000,
                end: 0x3000,
                read: true,
                write: true,
                exec: false
            }
        );
        assert!(r[1].exec && !r[1].write);
        assert_eq!(find(&r, 0x2fff).map(|r| r.start), Some(0x1000));
        assert_eq!(find(&r, 0x3000), None);
        assert_eq!(find(&r, 0x7f0f).map(|r| r.exec), Some(true));
    }

    #[test]
    fn this_processes_heap_and_stack_are_found_writable() {
        let regions = snapshot().unwrap();
        let on_heap = Box::new(7u64);
        let on_stack = 9u64;
        for addr in [
            &*on_heap as *const u64 as u64,
            &on_stack as *const u64 as u64,
        ] {
            let r = find(&regions, addr).expect("a live address is mapped");
            assert!(r.read && r.write && !r.exec);
        }
    }
}
