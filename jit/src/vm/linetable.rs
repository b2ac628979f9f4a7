//! The line table of RustPython 0.6's code objects (`CodeObject::linetable`): CPython's
//! location-table format, which the VM decodes to report a unit's line. Rewritten code
//! (prologues, loop hooks) appends entries in this format; this is the only place that
//! reads or writes it.

/// Entries for `n` units without a location (code 15).
pub fn no_location(buf: &mut Vec<u8>, mut n: u32) {
    while n > 0 {
        let k = n.min(8);
        buf.push(0xF8 | (k as u8 - 1));
        n -= k;
    }
}

/// One long-form entry (code 14) for `units` (1..=8) units: line delta, end-line delta,
/// and the (column, end column) pair, each plus one as the format stores them.
pub fn push_long(buf: &mut Vec<u8>, units: u32, line_delta: i32, end_lines: u32, cols: (u32, u32)) {
    buf.push(0x80 | (14 << 3) | (units as u8 - 1));
    svarint(buf, line_delta);
    varint(buf, end_lines);
    varint(buf, cols.0);
    varint(buf, cols.1);
}

/// One no-column entry (code 13) for `units` (1..=8) units, `line_delta` from the table's
/// line state.
pub fn push_no_column(buf: &mut Vec<u8>, units: u32, line_delta: i32) {
    buf.push(0x80 | (13 << 3) | (units as u8 - 1));
    svarint(buf, line_delta);
}

/// The line the line table of `code` leaves its state at (the base for a delta appended
/// after it).
pub fn line_at_end<C: rustpython_vm::bytecode::Constant>(
    code: &rustpython_vm::bytecode::CodeObject<C>,
) -> i32 {
    let mut line = code.first_line_number.map_or(1, |l| l.get() as i32);
    let lt = &code.linetable;
    let mut i = 0;
    let varint = |i: &mut usize| -> u32 {
        let (mut v, mut shift) = (0u32, 0);
        while *i < lt.len() {
            let b = lt[*i];
            *i += 1;
            v |= u32::from(b & 0x3f) << shift;
            shift += 6;
            if b & 0x40 == 0 {
                break;
            }
        }
        v
    };
    let svarint = |i: &mut usize| -> i32 {
        let v = varint(i);
        if v & 1 != 0 {
            -((v >> 1) as i32)
        } else {
            (v >> 1) as i32
        }
    };
    while i < lt.len() {
        let head = lt[i];
        i += 1;
        match (head >> 3) & 0xf {
            15 => {}
            14 => {
                line += svarint(&mut i);
                varint(&mut i);
                varint(&mut i);
                varint(&mut i);
            }
            13 => line += svarint(&mut i),
            10..=12 => {
                line += i32::from((head >> 3) & 0xf) - 10;
                i += 2;
            }
            _ => i += 1,
        }
    }
    line
}

/// Appends line-table entries for units on `lines` (one line per unit), the table's line
/// state being `line` before them: no-column entries (code 13) of up to 8 units.
pub fn append_lines(lt: &mut Vec<u8>, mut line: i32, lines: impl Iterator<Item = i32>) {
    let lines: Vec<i32> = lines.collect();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        let k = lines[i..].iter().take(8).take_while(|&&x| x == l).count();
        push_no_column(lt, k as u32, l - line);
        line = l;
        i += k;
    }
}

/// Line-table varint: 6 bits per byte, low bits first, 0x40 marking more bytes.
fn varint(buf: &mut Vec<u8>, mut v: u32) {
    while v >= 64 {
        buf.push(0x40 | (v & 0x3f) as u8);
        v >>= 6;
    }
    buf.push(v as u8);
}

/// Line-table signed varint: the magnitude shifted left, the sign in bit 0.
fn svarint(buf: &mut Vec<u8>, v: i32) {
    varint(
        buf,
        if v < 0 {
            (v.unsigned_abs() << 1) | 1
        } else {
            (v as u32) << 1
        },
    );
}

/// Decodes a compiled probe's line table to its end: the line must be that of its last
/// instruction (once per process).
pub(crate) fn line_table_ok(vm: &rustpython_vm::VirtualMachine) -> bool {
    static OK: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *OK.get_or_init(|| {
        let source = "x = 1\n\ny = [x,\n     2]\nz = y\n";
        let Ok(code) = vm.compile(source, rustpython_vm::compiler::Mode::Exec, "<probe>") else {
            return false;
        };
        let last = code
            .code
            .locations
            .last()
            .map(|(loc, _)| loc.line.get() as i32);
        last == Some(line_at_end(&code.code))
    })
}
